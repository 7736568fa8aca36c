namespace Inferd.Monitoring.Fairness;

/// <summary>One prediction as fairness counts it.</summary>
/// <param name="Group">The protected attribute's value (possibly a keyed hash).</param>
/// <param name="PredictedPositive">Whether the prediction is the positive outcome.</param>
/// <param name="ActualPositive">Whether the truth is the positive outcome, or null without feedback.</param>
internal readonly record struct FairnessRow(string Group, bool PredictedPositive, bool? ActualPositive);

namespace Inferd.Monitoring.Fairness;

/// <summary>The counts and rates of one group.</summary>
/// <param name="Group">The attribute value.</param>
/// <param name="Rows">Rows of the group.</param>
/// <param name="PredictedPositive">Rows predicted positive.</param>
/// <param name="PositiveRate"><paramref name="PredictedPositive"/> / <paramref name="Rows"/>.</param>
/// <param name="WithTruth">Rows with feedback.</param>
/// <param name="ActualPositive">Rows with feedback whose truth is positive.</param>
/// <param name="TruePositive">Of those, the rows also predicted positive.</param>
/// <param name="TruePositiveRate"><paramref name="TruePositive"/> / <paramref name="ActualPositive"/>, or null without actual positives.</param>
internal sealed record FairnessGroup(string Group, int Rows, int PredictedPositive, double PositiveRate, int WithTruth, int ActualPositive, int TruePositive, double? TruePositiveRate);

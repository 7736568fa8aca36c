namespace Inferd.Monitoring.Accuracy;

/// <summary>One binary prediction joined with its truth.</summary>
/// <param name="Score">The score ranked for AUC (1 or 0 when the model gives only a decision).</param>
/// <param name="Predicted">The decision.</param>
/// <param name="Actual">The truth.</param>
internal readonly record struct BinaryRow(double Score, bool Predicted, bool Actual);

/// <summary>One class prediction joined with its truth.</summary>
/// <param name="Predicted">The predicted class.</param>
/// <param name="Actual">The true class.</param>
internal readonly record struct LabelRow(string Predicted, string Actual);

/// <summary>One predicted number joined with the true one.</summary>
/// <param name="Predicted">The prediction.</param>
/// <param name="Actual">The truth.</param>
internal readonly record struct RegressionRow(double Predicted, double Actual);

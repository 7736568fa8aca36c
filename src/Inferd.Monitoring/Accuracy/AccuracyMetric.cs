namespace Inferd.Monitoring.Accuracy;

/// <summary>One live accuracy figure.</summary>
/// <param name="Name">accuracy, precision, recall, f1, auc, mae or rmse.</param>
/// <param name="Value">The figure.</param>
internal sealed record AccuracyMetric(string Name, double Value);

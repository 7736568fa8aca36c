using Inferd.Monitoring.Configuration;

namespace Inferd.Monitoring.Accuracy;

/// <summary>The live accuracy of one model version over its newest logged records with feedback.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="Task">binary, multiclass or regression.</param>
/// <param name="Records">Records with feedback read (at most the window).</param>
/// <param name="Rows">Rows joined (a record of a batched request holds several).</param>
/// <param name="Skipped">Rows or records that could not be joined (no such output, redacted, truth of the wrong kind or count).</param>
/// <param name="Metrics">The figures, in a fixed order; empty without rows.</param>
/// <param name="At">When they were computed.</param>
internal sealed record LiveAccuracy(string Model, string Version, TaskType Task, int Records, int Rows, int Skipped, IReadOnlyList<AccuracyMetric> Metrics, DateTimeOffset At);

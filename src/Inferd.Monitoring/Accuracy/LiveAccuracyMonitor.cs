using Inferd.Core.Inference;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.PredictionLog;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Accuracy;

/// <summary>
/// Live accuracy per model version: the newest <see cref="Window"/> logged records with feedback of every ready version
/// whose config has <c>monitoring.task</c>, joined row by row. Shown on <c>/metrics</c>, in the API and to alert rules
/// (kind <c>accuracy</c>, signal names = metric names).
/// </summary>
internal sealed class LiveAccuracyMonitor(IInferenceService inference, IPredictionLogStore? store, TimeProvider time, ILogger<LiveAccuracyMonitor> logger)
    : EvaluationMonitor<LiveAccuracy>(inference, store, time, logger), IMetricsSource, IAlertSignalSource
{
    /// <summary>Records with feedback read per version, newest first: enough for a stable rate, cheap to read every 15 s.</summary>
    public const int Window = 10_000;

    /// <summary>The alert signal kind.</summary>
    public const string SignalKind = "accuracy";

    /// <inheritdoc />
    public void Collect(PrometheusWriter writer)
    {
        var current = Current;
        if (current.Count == 0)
        {
            return;
        }

        writer.Family("inferd_live_accuracy", "gauge", "Live accuracy over the newest logged predictions with feedback (metric: accuracy, precision, recall, f1, auc, mae, rmse).");
        foreach (var figures in current)
        {
            foreach (var metric in figures.Metrics)
            {
                writer.Sample("inferd_live_accuracy", metric.Value, ("model", figures.Model), ("version", figures.Version), ("metric", metric.Name));
            }
        }

        writer.Family("inferd_live_feedback_rows", "gauge", "Rows with feedback the live accuracy is computed over.");
        foreach (var figures in current)
        {
            writer.Sample("inferd_live_feedback_rows", figures.Rows, ("model", figures.Model), ("version", figures.Version));
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AlertSignal>> ReadSignalsAsync(CancellationToken cancellationToken)
    {
        var current = await FreshAsync(cancellationToken).ConfigureAwait(false);
        return [.. current.SelectMany(a => a.Metrics.Select(m => new AlertSignal(SignalKind, a.Model, a.Version, m.Name, m.Value)))];
    }

    /// <inheritdoc />
    protected override bool Applies(ModelMonitoringConfig config) => config.Task is not null;

    /// <inheritdoc />
    protected override async Task<LiveAccuracy> EvaluateAsync(IPredictionLogStore store, string model, string version, ModelMonitoringConfig config, CancellationToken cancellationToken)
    {
        var records = await store.QueryAsync(new PredictionQuery(model, version, Limit: Window, WithFeedbackOnly: true), cancellationToken).ConfigureAwait(false);
        return AccuracyEvaluation.Evaluate(model, version, config.Task!, records, Time.GetUtcNow());
    }
}

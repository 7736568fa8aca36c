namespace Inferd.Core.Telemetry;

/// <summary>
/// Something that has metrics to show on <c>/metrics</c>: the facade's per-model counters and histograms, the process,
/// the prediction log, drift, live accuracy, fairness and alerts each implement it. Collect runs on every scrape, off
/// the request path, and must not block on I/O for long (read in-memory state; cache slower figures).
/// </summary>
public interface IMetricsSource
{
    /// <summary>Writes this source's families.</summary>
    void Collect(PrometheusWriter writer);
}

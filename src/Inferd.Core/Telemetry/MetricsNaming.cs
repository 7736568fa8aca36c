namespace Inferd.Core.Telemetry;

/// <summary>Which names the per-model inference metrics carry on <c>/metrics</c>.</summary>
public enum MetricsNaming
{
    /// <summary>Inferd's names (<c>inferd_*</c>, durations in seconds, Prometheus conventions).</summary>
    Inferd,

    /// <summary>
    /// Triton's names (<c>nv_inference_*</c>, cumulative microsecond counters, labels <c>model</c> and
    /// <c>version</c>), so existing Triton dashboards work unchanged; the histograms keep Inferd's names.
    /// </summary>
    Triton,
}

using Inferd.Abstractions.Models;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Scheduling;

namespace Inferd.Core.Telemetry;

/// <summary>
/// The per-model figures on <c>/metrics</c> (docs/metrics.md): for every ready version, labelled <c>model</c> and
/// <c>version</c>, the request, failure, inference and execution counters, the queue depth, the cache counters and
/// the duration and batch-size histograms. Counters keep Inferd's or Triton's names; histograms always keep Inferd's.
/// Reads the versions' lock-free counters on each scrape, so nothing is added to the request path.
/// </summary>
internal sealed class InferenceMetrics(Func<IEnumerable<LoadedVersion>> versions, MetricsNaming naming) : IMetricsSource
{
    /// <summary>Triton's failure reasons, each with the Inferd reasons counted under it (timeouts are REJECTED, as in Triton).</summary>
    private static readonly (string Label, FailureReason[] Reasons)[] FailureLabels =
    [
        ("REJECTED", [FailureReason.Rejected, FailureReason.TimedOut]),
        ("CANCELED", [FailureReason.Cancelled]),
        ("BACKEND", [FailureReason.Backend]),
        ("OTHER", [FailureReason.Other]),
    ];

    /// <inheritdoc />
    public void Collect(PrometheusWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var rows = versions()
            .OrderBy(v => v.ModelName, StringComparer.Ordinal)
            .ThenBy(v => v.Version)
            .Select(v => new Row(v.ModelName, v.VersionText, v.Statistics, v.Statistics.Snapshot(v.ModelName, v.VersionText), v.Scheduler.QueuedCount))
            .ToArray();
        if (naming == MetricsNaming.Triton)
        {
            WriteTriton(writer, rows);
        }
        else
        {
            WriteInferd(writer, rows);
        }

        Histogram(writer, rows, "inferd_request_duration_seconds", "End-to-end duration of successful requests in seconds, cache hits included.", s => s.RequestSeconds);
        Histogram(writer, rows, "inferd_queue_duration_seconds", "Time requests waited in the scheduler's queue in seconds.", s => s.QueueSeconds);
        Histogram(writer, rows, "inferd_compute_input_duration_seconds", "Input preparation of the batch each request ran in, in seconds.", s => s.ComputeInputSeconds);
        Histogram(writer, rows, "inferd_compute_infer_duration_seconds", "Model execution of the batch each request ran in, in seconds.", s => s.ComputeInferSeconds);
        Histogram(writer, rows, "inferd_compute_output_duration_seconds", "Output extraction of the batch each request ran in, in seconds.", s => s.ComputeOutputSeconds);
        Histogram(writer, rows, "inferd_batch_size", "Rows of each model execution.", s => s.BatchSize);
    }

    private static void WriteInferd(PrometheusWriter writer, Row[] rows)
    {
        Single(writer, rows, "inferd_request_success_total", "counter", "Successful inference requests (a request counts once whatever its batch size).", r => r.Stats.InferenceStats.Success.Count);
        Failures(writer, rows, "inferd_request_failure_total", "Failed inference requests by reason (REJECTED, CANCELED, BACKEND, OTHER).");
        Single(writer, rows, "inferd_inference_count_total", "counter", "Inferences performed (a batch of n counts n; cache hits excluded).", r => r.Stats.InferenceCount);
        Single(writer, rows, "inferd_execution_count_total", "counter", "Model executions (batches run; cache hits excluded).", r => r.Stats.ExecutionCount);
        Single(writer, rows, "inferd_pending_requests", "gauge", "Requests waiting in the scheduler's queue now.", r => r.Pending);
        Single(writer, rows, "inferd_cache_hit_total", "counter", "Requests answered from the response cache.", r => r.Stats.InferenceStats.CacheHit.Count);
        Single(writer, rows, "inferd_cache_miss_total", "counter", "Response cache lookups that missed.", r => r.Stats.InferenceStats.CacheMiss.Count);
    }

    private static void WriteTriton(PrometheusWriter writer, Row[] rows)
    {
        Single(writer, rows, "nv_inference_request_success", "counter", "Number of successful inference requests, all batch sizes", r => r.Stats.InferenceStats.Success.Count);
        Failures(writer, rows, "nv_inference_request_failure", "Number of failed inference requests, all batch sizes");
        Single(writer, rows, "nv_inference_count", "counter", "Number of inferences performed (does not include cached requests)", r => r.Stats.InferenceCount);
        Single(writer, rows, "nv_inference_exec_count", "counter", "Number of model executions performed (does not include cached requests)", r => r.Stats.ExecutionCount);
        Single(writer, rows, "nv_inference_pending_request_count", "gauge", "Instantaneous number of pending requests awaiting execution per-model.", r => r.Pending);
        Single(writer, rows, "nv_inference_request_duration_us", "counter", "Cumulative inference request duration in microseconds (includes cached requests)", r => Micros(r.Stats.InferenceStats.Success));
        Single(writer, rows, "nv_inference_queue_duration_us", "counter", "Cumulative inference queuing duration in microseconds", r => Micros(r.Stats.InferenceStats.Queue));
        Single(writer, rows, "nv_inference_compute_input_duration_us", "counter", "Cumulative compute input duration in microseconds (does not include cached requests)", r => Micros(r.Stats.InferenceStats.ComputeInput));
        Single(writer, rows, "nv_inference_compute_infer_duration_us", "counter", "Cumulative compute inference duration in microseconds (does not include cached requests)", r => Micros(r.Stats.InferenceStats.ComputeInfer));
        Single(writer, rows, "nv_inference_compute_output_duration_us", "counter", "Cumulative inference compute output duration in microseconds (does not include cached requests)", r => Micros(r.Stats.InferenceStats.ComputeOutput));
        Single(writer, rows, "nv_cache_num_hits_per_model", "counter", "Number of cache hits per model", r => r.Stats.InferenceStats.CacheHit.Count);
        Single(writer, rows, "nv_cache_num_misses_per_model", "counter", "Number of cache misses per model", r => r.Stats.InferenceStats.CacheMiss.Count);
        Single(writer, rows, "nv_cache_hit_duration_per_model", "counter", "Total cache hit duration per model, in microseconds", r => Micros(r.Stats.InferenceStats.CacheHit));
        Single(writer, rows, "nv_cache_miss_duration_per_model", "counter", "Total cache miss (insert+lookup) duration per model, in microseconds", r => Micros(r.Stats.InferenceStats.CacheMiss));
    }

    private static void Single(PrometheusWriter writer, Row[] rows, string name, string type, string help, Func<Row, double> value)
    {
        writer.Family(name, type, help);
        foreach (var row in rows)
        {
            writer.Sample(name, value(row), ("model", row.Model), ("version", row.Version));
        }
    }

    private static void Failures(PrometheusWriter writer, Row[] rows, string name, string help)
    {
        writer.Family(name, "counter", help);
        foreach (var row in rows)
        {
            foreach (var (label, reasons) in FailureLabels)
            {
                long count = 0;
                foreach (var reason in reasons)
                {
                    count += row.Counters.Failures(reason);
                }

                writer.Sample(name, count, ("model", row.Model), ("version", row.Version), ("reason", label));
            }
        }
    }

    private static void Histogram(PrometheusWriter writer, Row[] rows, string name, string help, Func<VersionStatistics, Histogram> histogram)
    {
        writer.Family(name, "histogram", help);
        foreach (var row in rows)
        {
            writer.Histogram(name, histogram(row.Counters).Snapshot(), ("model", row.Model), ("version", row.Version));
        }
    }

    // Whole microseconds, as Triton reports them.
    private static double Micros(DurationStat stat) => stat.Ns / 1000;

    private sealed record Row(string Model, string Version, VersionStatistics Counters, ModelStatistics Stats, int Pending);
}

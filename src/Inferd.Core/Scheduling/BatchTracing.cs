using System.Diagnostics;
using Inferd.Core.Telemetry;

namespace Inferd.Core.Scheduling;

/// <summary>
/// The scheduler's spans: <c>queue</c> per request, <c>batch</c> per execution and its <c>compute_*</c> children.
/// Every method returns at once when nothing listens to <see cref="InferdTelemetry.Source"/>, so an untraced server
/// pays one listener check per batch.
/// </summary>
internal static class BatchTracing
{
    /// <summary>The span context a request is queued under (the facade's <c>infer</c> span), or default when untraced.</summary>
    public static ActivityContext CurrentParent() =>
        InferdTelemetry.Source.HasListeners() && Activity.Current is { } current ? current.Context : default;

    /// <summary>
    /// Records the <c>queue</c> span of each request (enqueue to dispatch, written after the fact because the batch
    /// that takes a request is formed on another thread) and starts the <c>batch</c> span, which becomes current so
    /// that the model's own spans (pipeline steps) nest under it. Null when nothing listens.
    /// </summary>
    public static Activity? Start(ExecutionBatch batch, TimeProvider time)
    {
        var source = InferdTelemetry.Source;
        if (!source.HasListeners())
        {
            return null;
        }

        var requests = batch.Requests;
        var now = DateTime.UtcNow;
        var nowTicks = time.GetTimestamp();
        var links = new List<ActivityLink>(requests.Count);
        foreach (var request in requests)
        {
            if (request.TraceParent == default)
            {
                continue;
            }

            links.Add(new ActivityLink(request.TraceParent));
            var queued = source.StartActivity(InferdTelemetry.QueueSpan, ActivityKind.Internal, request.TraceParent, startTime: now - time.GetElapsedTime(request.EnqueuedTicks, nowTicks));
            if (queued is not null)
            {
                queued.SetEndTime(now - time.GetElapsedTime(request.DispatchedTicks, nowTicks));
                queued.Dispose();
            }
        }

        var span = source.StartActivity(InferdTelemetry.BatchSpan, ActivityKind.Internal, requests[0].TraceParent, links: links);
        span?.SetTag(InferdTelemetry.BatchSizeAttribute, batch.Rows);
        span?.SetTag(InferdTelemetry.BatchRequestsAttribute, requests.Count);
        return span;
    }

    /// <summary>
    /// Writes the <c>compute_input</c>, <c>compute_infer</c> and <c>compute_output</c> children of a finished run from
    /// the durations the backend measured, laid end to end from the batch's start (input, infer) and back from now
    /// (output): the backend reports durations, not instants.
    /// </summary>
    public static void Compute(Activity? batch, long inputNs, long inferNs, long outputNs)
    {
        if (batch is null)
        {
            return;
        }

        var start = batch.StartTimeUtc;
        var end = DateTime.UtcNow;
        var inputEnd = start + Duration(inputNs);
        Child(InferdTelemetry.ComputeInputSpan, batch, start, inputEnd);
        Child(InferdTelemetry.ComputeInferSpan, batch, inputEnd, inputEnd + Duration(inferNs));
        Child(InferdTelemetry.ComputeOutputSpan, batch, end - Duration(outputNs), end);
    }

    /// <summary>Marks a batch that failed.</summary>
    public static void Fail(Activity? batch, string message) => batch?.SetStatus(ActivityStatusCode.Error, message);

    private static void Child(string name, Activity parent, DateTime start, DateTime end)
    {
        var span = InferdTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent.Context, startTime: start);
        if (span is not null)
        {
            span.SetEndTime(end < start ? start : end);
            span.Dispose();
        }
    }

    private static TimeSpan Duration(long ns) => TimeSpan.FromTicks(Math.Max(0, ns) / 100);
}

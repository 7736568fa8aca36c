using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Inferd.Abstractions.Models;
using Inferd.Core.Scheduling;
using Inferd.Core.Telemetry;

namespace Inferd.Core.Inference;

/// <summary>
/// Cumulative, monotonic counters of one loaded model version (statistics extension). Lock-free: each field is
/// updated with Interlocked, so recording costs a few atomic adds on the request path. Request figures (success,
/// queue, compute_*) count requests, each charged its batch's durations, as Triton does; execution figures
/// (execution_count, inference_count, batch_stats) count model runs. The histograms behind <c>/metrics</c> follow the
/// same split: durations per request (seconds), batch sizes per execution.
/// </summary>
internal sealed class VersionStatistics
{
    private readonly ConcurrentDictionary<long, BatchCounters> _batches = new();
    private readonly long[] _failures = new long[Enum.GetValues<FailureReason>().Length];
    private Counter _success;
    private Counter _fail;
    private Counter _queue;
    private Counter _computeInput;
    private Counter _computeInfer;
    private Counter _computeOutput;
    private Counter _cacheHit;
    private Counter _cacheMiss;
    private long _inferenceCount;
    private long _executionCount;
    private long _lastInferenceMs;

    /// <summary>End-to-end duration of each successful request, cache hits included.</summary>
    public Histogram RequestSeconds { get; } = new(Histogram.LatencySeconds);

    /// <summary>Queue time of each request that ran on the model.</summary>
    public Histogram QueueSeconds { get; } = new(Histogram.LatencySeconds);

    /// <summary>Input preparation of the batch each request ran in.</summary>
    public Histogram ComputeInputSeconds { get; } = new(Histogram.LatencySeconds);

    /// <summary>Model execution of the batch each request ran in.</summary>
    public Histogram ComputeInferSeconds { get; } = new(Histogram.LatencySeconds);

    /// <summary>Output extraction of the batch each request ran in.</summary>
    public Histogram ComputeOutputSeconds { get; } = new(Histogram.LatencySeconds);

    /// <summary>Rows of each model execution.</summary>
    public Histogram BatchSize { get; } = new(Histogram.BatchSizes);

    /// <summary>A request answered from a model run.</summary>
    public void RecordSuccess(long totalNs, long queueNs, long inputNs, long inferNs, long outputNs)
    {
        _success.Add(totalNs);
        _queue.Add(queueNs);
        _computeInput.Add(inputNs);
        _computeInfer.Add(inferNs);
        _computeOutput.Add(outputNs);
        RequestSeconds.Observe(Seconds(totalNs));
        QueueSeconds.Observe(Seconds(queueNs));
        ComputeInputSeconds.Observe(Seconds(inputNs));
        ComputeInferSeconds.Observe(Seconds(inferNs));
        ComputeOutputSeconds.Observe(Seconds(outputNs));
    }

    /// <summary>A request answered from the response cache.</summary>
    public void RecordCacheHit(long totalNs, long lookupNs, long nowMs)
    {
        _success.Add(totalNs);
        _cacheHit.Add(lookupNs);
        RequestSeconds.Observe(Seconds(totalNs));
        // As in Triton, inference_count and execution_count do not include cache hits.
        Interlocked.Exchange(ref _lastInferenceMs, nowMs);
    }

    /// <summary>A cache lookup that missed, with the time of the lookup and of the insertion.</summary>
    public void RecordCacheMiss(long ns) => _cacheMiss.Add(ns);

    /// <summary>One model run of <paramref name="rows"/> rows.</summary>
    public void RecordExecution(long rows, long inputNs, long inferNs, long outputNs, long nowMs)
    {
        Interlocked.Add(ref _inferenceCount, rows);
        Interlocked.Increment(ref _executionCount);
        Interlocked.Exchange(ref _lastInferenceMs, nowMs);
        var batch = _batches.GetOrAdd(rows, static _ => new BatchCounters());
        batch.Input.Add(inputNs);
        batch.Infer.Add(inferNs);
        batch.Output.Add(outputNs);
        BatchSize.Observe(rows);
    }

    /// <summary>A request that failed for <paramref name="reason"/> after <paramref name="totalNs"/>.</summary>
    public void RecordFailure(FailureReason reason, long totalNs, long nowMs)
    {
        _fail.Add(totalNs);
        Interlocked.Increment(ref _failures[(int)reason]);
        Interlocked.Exchange(ref _lastInferenceMs, nowMs);
    }

    /// <summary>Failures so far by reason.</summary>
    public long Failures(FailureReason reason) => Interlocked.Read(ref _failures[(int)reason]);

    /// <summary>The statistics extension's view of these counters.</summary>
    public ModelStatistics Snapshot(string name, string version)
    {
        var batches = _batches
            .OrderBy(p => p.Key)
            .Select(p => new BatchStatistics((ulong)p.Key, p.Value.Input.Read(), p.Value.Infer.Read(), p.Value.Output.Read()))
            .ToArray();
        var stats = new InferStatistics(_success.Read(), _fail.Read(), _queue.Read(), _computeInput.Read(), _computeInfer.Read(), _computeOutput.Read(), _cacheHit.Read(), _cacheMiss.Read());
        var failures = Enum.GetValues<FailureReason>().ToDictionary(r => r.ToString().ToLowerInvariant(), r => (ulong)Failures(r));
        return new ModelStatistics(
            name,
            version,
            (ulong)Interlocked.Read(ref _lastInferenceMs),
            (ulong)Interlocked.Read(ref _inferenceCount),
            (ulong)Interlocked.Read(ref _executionCount),
            stats,
            batches)
        {
            FailuresByReason = failures,
        };
    }

    private static double Seconds(long ns) => Math.Max(0, ns) / 1e9;

    private sealed class BatchCounters
    {
        public Counter Input;
        public Counter Infer;
        public Counter Output;
    }

    /// <summary>A count and a nanosecond sum; mutable struct used only through its field's address.</summary>
    private struct Counter
    {
        private long _count;
        private long _ns;

        public void Add(long ns)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _ns, Math.Max(0, ns));
        }

        public readonly DurationStat Read() => new((ulong)Volatile.Read(ref Unsafe.AsRef(in _count)), (ulong)Volatile.Read(ref Unsafe.AsRef(in _ns)));
    }
}

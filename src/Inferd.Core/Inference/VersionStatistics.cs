using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using Inferd.Abstractions.Models;

namespace Inferd.Core.Inference;

/// <summary>
/// Cumulative, monotonic counters of one loaded model version (statistics extension). Lock-free: each field is
/// updated with Interlocked, so recording costs a few atomic adds on the request path.
/// </summary>
internal sealed class VersionStatistics
{
    private readonly ConcurrentDictionary<long, BatchCounters> _batches = new();
    private Counter _success;
    private Counter _fail;
    private Counter _queue;
    private Counter _computeInput;
    private Counter _computeInfer;
    private Counter _computeOutput;
    private long _inferenceCount;
    private long _executionCount;
    private long _lastInferenceMs;

    public void RecordSuccess(long batchSize, long totalNs, long queueNs, long inputNs, long inferNs, long outputNs, long nowMs)
    {
        _success.Add(totalNs);
        _queue.Add(queueNs);
        _computeInput.Add(inputNs);
        _computeInfer.Add(inferNs);
        _computeOutput.Add(outputNs);
        Interlocked.Add(ref _inferenceCount, batchSize);
        Interlocked.Increment(ref _executionCount);
        Interlocked.Exchange(ref _lastInferenceMs, nowMs);
        var batch = _batches.GetOrAdd(batchSize, static _ => new BatchCounters());
        batch.Input.Add(inputNs);
        batch.Infer.Add(inferNs);
        batch.Output.Add(outputNs);
    }

    public void RecordFailure(long totalNs, long nowMs)
    {
        _fail.Add(totalNs);
        Interlocked.Exchange(ref _lastInferenceMs, nowMs);
    }

    public ModelStatistics Snapshot(string name, string version)
    {
        var batches = _batches
            .OrderBy(p => p.Key)
            .Select(p => new BatchStatistics((ulong)p.Key, p.Value.Input.Read(), p.Value.Infer.Read(), p.Value.Output.Read()))
            .ToArray();
        var stats = new InferStatistics(_success.Read(), _fail.Read(), _queue.Read(), _computeInput.Read(), _computeInfer.Read(), _computeOutput.Read(), default, default);
        return new ModelStatistics(
            name,
            version,
            (ulong)Interlocked.Read(ref _lastInferenceMs),
            (ulong)Interlocked.Read(ref _inferenceCount),
            (ulong)Interlocked.Read(ref _executionCount),
            stats,
            batches);
    }

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

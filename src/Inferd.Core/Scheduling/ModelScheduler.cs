using System.Buffers;
using System.Diagnostics;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;

namespace Inferd.Core.Scheduling;

/// <summary>
/// The scheduler of one loaded version: per-priority queues, a pool of model instances, and dynamic batching.
/// <para>
/// No thread is dedicated to it. A request that finds an idle instance and an empty queue runs on the caller's
/// thread with no hand-off (the common case at low load costs one lock). Otherwise it queues; an instance that
/// finishes a batch takes the next one from the queue on the same thread, so under load a batch forms from what
/// queued while the instances were busy (Triton's dynamic batcher with a zero delay), and with a
/// <c>max_queue_delay_microseconds</c> the oldest request waits up to that long for a fuller batch.
/// </para>
/// </summary>
internal sealed class ModelScheduler : IDisposable
{
    private readonly ILoadedModel _model;
    private readonly VersionStatistics _statistics;
    private readonly TimeProvider _time;
    private readonly string _modelName;
    private readonly Lock _lock = new();
    private readonly LinkedList<ScheduledRequest>[] _queues;
    private readonly int _levels;
    private readonly LinkedList<ScheduledRequest>[] _delayed;
    private readonly QueuePolicy[] _policies;
    private readonly Stack<int> _idle;
    private readonly bool _dynamic;
    private readonly long _maxRows;
    private readonly int[] _preferred;
    private readonly long _targetRows;
    private readonly long _delayTicks;
    private readonly int _defaultLevel;
    private readonly ITimer _delayTimer;
    private readonly double _ticksToNs;
    private long _timerDueTicks;
    private int _queued;
    private bool _disposed;

    public ModelScheduler(string modelName, ModelConfig config, ILoadedModel model, VersionStatistics statistics, TimeProvider time)
    {
        _modelName = modelName;
        _model = model;
        _statistics = statistics;
        _time = time;
        var batching = config.DynamicBatching;
        _dynamic = batching is not null && config.MaxBatchSize > 0;
        _maxRows = Math.Max(1, config.MaxBatchSize);
        _preferred = _dynamic ? batching!.PreferredBatchSizes.Where(p => p > 0 && p <= _maxRows).Distinct().Order().ToArray() : [];
        _targetRows = _preferred.Length > 0 ? _preferred[^1] : _maxRows;
        _ticksToNs = 1_000_000_000.0 / time.TimestampFrequency;
        _delayTicks = _dynamic ? (long)(batching!.MaxQueueDelayMicroseconds * (time.TimestampFrequency / 1_000_000.0)) : 0;
        var levels = Math.Max(1, batching?.PriorityLevels ?? 0);
        _levels = levels;
        _defaultLevel = batching is { PriorityLevels: > 0, DefaultPriorityLevel: > 0 } ? batching.DefaultPriorityLevel - 1 : levels - 1;
        // One more queue below the configured levels for background requests (explanations); TakeBatch reaches it
        // only when every other queue is empty.
        _queues = new LinkedList<ScheduledRequest>[levels + 1];
        _delayed = new LinkedList<ScheduledRequest>[levels + 1];
        _policies = new QueuePolicy[levels + 1];
        for (var i = 0; i <= levels; i++)
        {
            _queues[i] = new LinkedList<ScheduledRequest>();
            _delayed[i] = new LinkedList<ScheduledRequest>();
            _policies[i] = batching is null || i == levels ? QueuePolicy.Default
                : batching.PriorityQueuePolicy.TryGetValue(i + 1, out var own) ? own : batching.DefaultQueuePolicy;
        }

        var instances = Math.Max(1, model.InstanceCount);
        _idle = new Stack<int>(instances);
        for (var i = instances - 1; i >= 0; i--)
        {
            _idle.Push(i);
        }

        _delayTimer = time.CreateTimer(static s => ((ModelScheduler)s!).OnDelayTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The priority that queues a request below every configured level (background work: explanations).</summary>
    public const long BackgroundPriority = -1;

    /// <summary>Requests waiting in the queues now.</summary>
    public int QueuedCount => Volatile.Read(ref _queued);

    /// <summary>Whether requests of this model are merged into batches.</summary>
    public bool DynamicBatching => _dynamic;

    /// <summary>
    /// Queues a validated request and completes when its rows come back.
    /// </summary>
    /// <param name="inputs">Validated inputs.</param>
    /// <param name="outputNames">Outputs to compute.</param>
    /// <param name="rows">The request's batch size (1 for models that do not batch).</param>
    /// <param name="priority">
    /// The <c>priority</c> parameter; 0 or out of range means the default level (as Triton);
    /// <see cref="BackgroundPriority"/> queues below every level.
    /// </param>
    /// <param name="timeoutMicroseconds">The <c>timeout</c> parameter; 0 means none.</param>
    /// <param name="cancellationToken">The caller's token: a closed connection or a gRPC deadline.</param>
    public Task<ScheduledResult> ScheduleAsync(
        IReadOnlyList<InferenceTensor> inputs,
        IReadOnlyList<string> outputNames,
        long rows,
        long priority,
        long timeoutMicroseconds,
        CancellationToken cancellationToken)
    {
        var level = priority == BackgroundPriority ? _levels : priority > 0 && priority <= _levels ? (int)priority - 1 : _defaultLevel;
        var policy = _policies[level];
        var timeout = policy.DefaultTimeoutMicroseconds;
        if (timeoutMicroseconds > 0 && policy.AllowTimeoutOverride && (timeout == 0 || timeoutMicroseconds < timeout))
        {
            timeout = timeoutMicroseconds;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            throw new InferenceException(InferenceErrorKind.Cancelled, "request cancelled by the client");
        }

        var request = new ScheduledRequest(inputs, outputNames, rows, level, _time.GetTimestamp()) { TraceParent = BatchTracing.CurrentParent() };
        ExecutionBatch? inline = null;
        lock (_lock)
        {
            if (_disposed)
            {
                throw new InferenceException(InferenceErrorKind.ModelNotReady, $"model '{_modelName}' is unloading");
            }

            // Inline only when batching could not gain: a model without dynamic batching, or a request that fills a
            // batch alone. A dynamically batched request always queues and a worker takes it from the thread pool,
            // so requests that arrive together (even on one core, where the caller would otherwise run before the
            // others get a thread) merge into one run; the hop costs a few µs, as Triton's scheduler thread does.
            if (_queued == 0 && _idle.Count > 0 && (!_dynamic || rows >= _targetRows))
            {
                request.DispatchedTicks = request.EnqueuedTicks;
                inline = new ExecutionBatch(_idle.Pop(), [request], rows);
                request.Batch = inline;
            }
            else
            {
                var limit = policy.MaxQueueSize;
                if (limit > 0 && _queues[level].Count + _delayed[level].Count >= limit)
                {
                    throw new InferenceException(InferenceErrorKind.Overloaded, $"the queue of model '{_modelName}' is full (max_queue_size {limit}); retry later");
                }

                request.Node = _queues[level].AddLast(request);
                _queued++;
            }
        }

        // 49.7 days is the longest .NET timer; a longer timeout can never fire in practice, so it means none.
        TimeSpan? after = timeout > 0 && timeout / 1000 < 4_294_967_294 ? TimeSpan.FromMicroseconds(timeout) : null;
        request.Watch(after, _time, this, cancellationToken);
        if (inline is not null)
        {
            return RunInlineAsync(inline, request);
        }

        DispatchQueued();
        return request.Completion.Task;
    }

    /// <summary>Stops accepting requests and fails the queued ones; running batches finish.</summary>
    public void Dispose()
    {
        List<ScheduledRequest> orphans = [];
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var list in _queues.Concat(_delayed))
            {
                foreach (var r in list)
                {
                    r.Node = null;
                    orphans.Add(r);
                }

                list.Clear();
            }

            _queued = 0;
        }

        _delayTimer.Dispose();
        foreach (var r in orphans)
        {
            r.TryFail(new InferenceException(InferenceErrorKind.ModelNotReady, $"model '{_modelName}' was unloaded before the request ran"));
        }
    }

    /// <summary>The caller's token fired: drop the request from its queue, or from its running batch.</summary>
    internal void OnCancelled(ScheduledRequest request) =>
        Abandon(request, new InferenceException(InferenceErrorKind.Cancelled, "request cancelled by the client"), FailureReason.Cancelled, delayOnly: false);

    /// <summary>The request's timeout passed: reject it, or with the DELAY action move it behind the others.</summary>
    internal void OnTimeout(ScheduledRequest request) =>
        Abandon(request, new InferenceException(InferenceErrorKind.DeadlineExceeded, "request timeout expired"), FailureReason.TimedOut, _policies[request.Level].TimeoutAction == TimeoutAction.Delay);

    private void Abandon(ScheduledRequest request, InferenceException error, FailureReason reason, bool delayOnly)
    {
        ExecutionBatch? running = null;
        lock (_lock)
        {
            if (request.IsFinished)
            {
                return;
            }

            if (request.Node is { } node)
            {
                node.List!.Remove(node);
                if (delayOnly)
                {
                    request.Delayed = true;
                    request.Node = _delayed[request.Level].AddLast(request);
                    return;
                }

                request.Node = null;
                _queued--;
            }
            else if (delayOnly)
            {
                // DELAY only reorders the queue; once running, the request finishes normally.
                return;
            }
            else
            {
                running = request.Batch;
            }
        }

        if (request.TryFail(error))
        {
            _statistics.RecordFailure(reason, ElapsedNs(request.EnqueuedTicks), _time.GetUtcNow().ToUnixTimeMilliseconds());
            running?.RequestGone();
        }
    }

    private async Task<ScheduledResult> RunInlineAsync(ExecutionBatch batch, ScheduledRequest request)
    {
        await ExecuteAsync(batch).ConfigureAwait(false);
        // Hand any work that queued meanwhile to the thread pool so this caller answers now.
        var next = NextBatch(batch.Instance);
        if (next is not null)
        {
            StartWorker(next);
        }

        return await request.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>Starts batches on idle instances while ready work is queued.</summary>
    private void OnDelayTimer()
    {
        lock (_lock)
        {
            _timerDueTicks = 0;
        }

        DispatchQueued();
    }

    private void DispatchQueued()
    {
        while (true)
        {
            ExecutionBatch? batch;
            lock (_lock)
            {
                if (_idle.Count == 0 || _queued == 0 || _disposed)
                {
                    return;
                }

                var instance = _idle.Pop();
                batch = TakeBatch(instance);
                if (batch is null)
                {
                    _idle.Push(instance);
                    return;
                }
            }

            StartWorker(batch);
        }
    }

    private void StartWorker(ExecutionBatch first) =>
        ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.scheduler.WorkerAsync(s.first), (scheduler: this, first), preferLocal: false);

    private async Task WorkerAsync(ExecutionBatch first)
    {
        var batch = first;
        while (batch is not null)
        {
            await ExecuteAsync(batch).ConfigureAwait(false);
            batch = NextBatch(batch.Instance);
        }
    }

    /// <summary>Takes the next batch for an instance that just finished, or returns the instance to the idle set.</summary>
    private ExecutionBatch? NextBatch(int instance)
    {
        lock (_lock)
        {
            var batch = _queued > 0 && !_disposed ? TakeBatch(instance) : null;
            if (batch is null)
            {
                _idle.Push(instance);
            }

            return batch;
        }
    }

    /// <summary>
    /// Forms a batch from the highest-priority non-empty queue (requests that did not time out before those that
    /// did), or returns null when a delay is configured and the batch is not yet worth running. Caller holds the lock.
    /// </summary>
    private ExecutionBatch? TakeBatch(int instance)
    {
        var now = _time.GetTimestamp();
        for (var level = 0; level < _queues.Length; level++)
        {
            var list = _queues[level].Count > 0 ? _queues[level] : _delayed[level];
            if (list.Count == 0)
            {
                continue;
            }

            var head = list.First!.Value;
            var rows = head.Rows;
            var count = 1;
            if (_dynamic)
            {
                // Greedy: add compatible requests in arrival order while they fit in max_batch_size.
                for (var node = list.First.Next; node is not null; node = node.Next)
                {
                    var r = node.Value;
                    if (rows + r.Rows > _maxRows || !BatchTensors.Compatible(head, r))
                    {
                        break;
                    }

                    rows += r.Rows;
                    count++;
                }

                if (_delayTicks > 0 && rows < _targetRows && now - head.EnqueuedTicks < _delayTicks)
                {
                    ArmDelayTimer(head.EnqueuedTicks + _delayTicks, now);
                    return null;
                }

                // Prefer the largest preferred size that the queued rows can fill exactly; otherwise take them all.
                if (_preferred.Length > 0 && Array.IndexOf(_preferred, (int)rows) < 0)
                {
                    (rows, count) = CutToPreferred(list, count, rows);
                }
            }

            var requests = new List<ScheduledRequest>(count);
            for (var i = 0; i < count; i++)
            {
                var r = list.First!.Value;
                list.RemoveFirst();
                r.Node = null;
                r.DispatchedTicks = now;
                requests.Add(r);
            }

            _queued -= count;
            var batch = new ExecutionBatch(instance, requests, rows);
            foreach (var r in requests)
            {
                r.Batch = batch;
            }

            return batch;
        }

        return null;
    }

    private (long Rows, int Count) CutToPreferred(LinkedList<ScheduledRequest> list, int count, long rows)
    {
        long sum = 0;
        var taken = 0;
        long bestRows = 0;
        var bestCount = 0;
        for (var node = list.First; node is not null && taken < count; node = node.Next)
        {
            sum += node.Value.Rows;
            taken++;
            if (Array.IndexOf(_preferred, (int)Math.Min(sum, int.MaxValue)) >= 0)
            {
                bestRows = sum;
                bestCount = taken;
            }
        }

        return bestCount > 0 ? (bestRows, bestCount) : (rows, count);
    }

    private void ArmDelayTimer(long dueTicks, long now)
    {
        if (_timerDueTicks != 0 && _timerDueTicks <= dueTicks && _timerDueTicks > now)
        {
            return;
        }

        _timerDueTicks = dueTicks;
        var wait = TimeSpan.FromTicks(Math.Max(1, (long)((dueTicks - now) * (TimeSpan.TicksPerSecond / (double)_time.TimestampFrequency))));
        _delayTimer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    private async Task ExecuteAsync(ExecutionBatch batch)
    {
        var requests = batch.Requests;
        var first = requests[0];
        var rented = requests.Count > 1 ? new List<byte[]>(first.Inputs.Count) : null;
        var timings = new RunTimings();
        using var span = BatchTracing.Start(batch, _time);
        try
        {
            var start = Stopwatch.GetTimestamp();
            var inputs = rented is null ? first.Inputs : BatchTensors.Merge(requests, batch.Rows, rented);
            var mergeNs = StopwatchNs(start);
            var outputs = await _model.RunAsync(batch.Instance, inputs, first.OutputNames, timings, batch.Token).ConfigureAwait(false);
            var splitStart = Stopwatch.GetTimestamp();
            var parts = requests.Count > 1 ? BatchTensors.Split(outputs, requests, batch.Rows) : [outputs as InferenceTensor[] ?? [.. outputs]];
            var inputNs = timings.ComputeInputNs + mergeNs;
            var outputNs = timings.ComputeOutputNs + StopwatchNs(splitStart);
            _statistics.RecordExecution(batch.Rows, inputNs, timings.ComputeInferNs, outputNs, _time.GetUtcNow().ToUnixTimeMilliseconds());
            BatchTracing.Compute(span, inputNs, timings.ComputeInferNs, outputNs);
            for (var i = 0; i < requests.Count; i++)
            {
                var r = requests[i];
                r.TrySucceed(new ScheduledResult(parts[i], (long)((r.DispatchedTicks - r.EnqueuedTicks) * _ticksToNs), inputNs, timings.ComputeInferNs, outputNs, batch.Rows));
            }
        }
        catch (OperationCanceledException)
        {
            // Every request left the batch (each was already answered); anything still here was not.
            FailAll(requests, span, new InferenceException(InferenceErrorKind.Cancelled, "request cancelled by the client"), FailureReason.Cancelled);
        }
        catch (InferenceException ex)
        {
            FailAll(requests, span, ex, ex.Kind == InferenceErrorKind.InvalidInput ? FailureReason.Backend : FailureReason.Other);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            FailAll(requests, span, new InferenceException(InferenceErrorKind.Internal, "the model run failed", ex), FailureReason.Backend);
        }
        finally
        {
            if (rented is not null)
            {
                foreach (var buffer in rented)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            batch.Dispose();
        }
    }

    private void FailAll(List<ScheduledRequest> requests, Activity? span, InferenceException error, FailureReason reason)
    {
        BatchTracing.Fail(span, error.Message);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var r in requests)
        {
            if (r.TryFail(error))
            {
                _statistics.RecordFailure(reason, ElapsedNs(r.EnqueuedTicks), now);
            }
        }
    }

    private long ElapsedNs(long fromTicks) => (long)((_time.GetTimestamp() - fromTicks) * _ticksToNs);

    private static long StopwatchNs(long fromTicks) => (long)((Stopwatch.GetTimestamp() - fromTicks) * (1_000_000_000.0 / Stopwatch.Frequency));
}

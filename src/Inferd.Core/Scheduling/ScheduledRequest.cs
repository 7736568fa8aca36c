using System.Diagnostics;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Scheduling;

/// <summary>
/// One request inside the scheduler. Its state moves Queued → Running → Finished under the scheduler's lock, except
/// that finishing is a single atomic flag so a run, a cancellation and a timeout can race and exactly one wins.
/// </summary>
internal sealed class ScheduledRequest
{
    private int _finished;
    private CancellationTokenRegistration _registration;
    private ITimer? _timer;

    public ScheduledRequest(IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputNames, long rows, int level, long enqueuedTicks)
    {
        Inputs = inputs;
        OutputNames = outputNames;
        Rows = rows;
        Level = level;
        EnqueuedTicks = enqueuedTicks;
    }

    public IReadOnlyList<InferenceTensor> Inputs { get; }

    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Rows this request adds to a batch (its first dimension; 1 for models that do not batch).</summary>
    public long Rows { get; }

    /// <summary>Priority level index, 0 the highest.</summary>
    public int Level { get; }

    /// <summary>Timestamp of the scheduler's <see cref="TimeProvider"/> when it arrived.</summary>
    public long EnqueuedTicks { get; }

    public long DispatchedTicks { get; set; }

    /// <summary>The span the request was queued under (the facade's <c>infer</c> span); default when untraced.</summary>
    public ActivityContext TraceParent { get; init; }

    /// <summary>Queue node while queued, null otherwise. Guarded by the scheduler's lock.</summary>
    public LinkedListNode<ScheduledRequest>? Node { get; set; }

    /// <summary>True once its timeout passed with the DELAY action: it waits behind requests that did not time out.</summary>
    public bool Delayed { get; set; }

    /// <summary>The batch running it, set at dispatch. Guarded by the scheduler's lock.</summary>
    public ExecutionBatch? Batch { get; set; }

    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    public TaskCompletionSource<ScheduledResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Attaches the caller's cancellation and the timeout; both end in <see cref="ModelScheduler"/> callbacks.</summary>
    public void Watch(TimeSpan? timeout, TimeProvider time, ModelScheduler scheduler, CancellationToken cancellationToken)
    {
        // Set first: a timeout of a microsecond can fire on a timer thread before CreateTimer returns.
        Scheduler = scheduler;
        if (timeout is { } after)
        {
            Volatile.Write(ref _timer, time.CreateTimer(static s => { var r = (ScheduledRequest)s!; r.Scheduler!.OnTimeout(r); }, this, after, Timeout.InfiniteTimeSpan));
        }

        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static s => { var r = (ScheduledRequest)s!; r.Scheduler!.OnCancelled(r); }, this);
        }

        // Another instance may have run and finished the request before it was watched; its TryFinish then saw no
        // timer or registration to release. The fence orders our writes above before the read (TryFinish's
        // Interlocked.Exchange is the other half), so one of the two sides always releases them.
        Interlocked.MemoryBarrier();
        if (IsFinished)
        {
            _registration.Unregister();
            _timer?.Dispose();
        }
    }

    private ModelScheduler? Scheduler { get; set; }

    public bool TrySucceed(ScheduledResult result)
    {
        if (!TryFinish())
        {
            return false;
        }

        Completion.SetResult(result);
        return true;
    }

    public bool TryFail(InferenceException error)
    {
        if (!TryFinish())
        {
            return false;
        }

        Completion.SetException(error);
        return true;
    }

    private bool TryFinish()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return false;
        }

        // Unregister never waits for a running callback, so finishing from any thread cannot deadlock with one.
        _registration.Unregister();
        Volatile.Read(ref _timer)?.Dispose();
        return true;
    }
}

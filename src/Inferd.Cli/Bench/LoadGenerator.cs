using System.Diagnostics;

namespace Inferd.Cli.Bench;

/// <summary>
/// Keeps one load point's requests going until <see cref="StopAsync"/>: a closed loop of N workers that each send
/// again as soon as an answer arrives, or an open loop that sends at Poisson-scheduled times whatever is still
/// outstanding and measures latency from the scheduled time (perf_analyzer's request-rate mode).
/// </summary>
internal sealed class LoadGenerator
{
    /// <summary>Most requests outstanding in an open loop; beyond it sends wait, and the wait counts as latency.</summary>
    private const int MaxOutstanding = 512;

    private readonly BenchTarget _target;
    private readonly Lock _slotsLock = new();
    private readonly List<Slot> _slots = [];
    private readonly List<Task> _running = [];
    private readonly CancellationToken _cancellationToken;
    private volatile bool _stop;
    private string? _firstError;

    private LoadGenerator(BenchTarget target, CancellationToken cancellationToken)
    {
        _target = target;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The first failure's message, for the user.</summary>
    public string? FirstError => _firstError;

    /// <summary>Starts the load of <paramref name="point"/>.</summary>
    public static LoadGenerator Start(BenchTarget target, LoadPoint point, int seed, CancellationToken cancellationToken)
    {
        var load = new LoadGenerator(target, cancellationToken);
        if (point.RequestRate is { } rate)
        {
            load.StartOpenLoop(rate, seed);
        }
        else
        {
            load.StartClosedLoop(target.FixedWorkers ?? point.Concurrency ?? 1);
        }

        return load;
    }

    /// <summary>Moves every worker's recorded latencies into <paramref name="window"/> (null drops them).</summary>
    public void DrainInto(LatencyWindow? window)
    {
        lock (_slotsLock)
        {
            foreach (var slot in _slots)
            {
                slot.Log.DrainInto(window);
            }
        }
    }

    /// <summary>Stops sending and waits for outstanding requests to finish.</summary>
    public async Task StopAsync()
    {
        _stop = true;
        await Task.WhenAll(_running).ConfigureAwait(false);
    }

    private Slot NewSlot()
    {
        var slot = new Slot(_target.CreateWorker(), new LatencyLog());
        lock (_slotsLock)
        {
            _slots.Add(slot);
        }

        return slot;
    }

    private void StartClosedLoop(int workers)
    {
        for (var i = 0; i < workers; i++)
        {
            var slot = NewSlot();
            _running.Add(_target.IsSynchronous
                ? RunOnThread($"bench-worker-{i}", () => ClosedLoopSync(slot))
                : Task.Run(() => ClosedLoopAsync(slot)));
        }
    }

    private void StartOpenLoop(double rate, int seed)
    {
        var schedule = new PoissonSchedule(rate, Stopwatch.GetTimestamp(), seed);
        if (_target.IsSynchronous)
        {
            // In-process sessions: each worker thread takes the next send time, waits for it and runs (N servers).
            var workers = _target.FixedWorkers ?? 1;
            for (var i = 0; i < workers; i++)
            {
                var slot = NewSlot();
                _running.Add(RunOnThread($"bench-worker-{i}", () => OpenLoopSync(slot, schedule)));
            }
        }
        else
        {
            _running.Add(RunOnThread("bench-dispatcher", () => Dispatch(schedule)));
        }
    }

    private async Task ClosedLoopAsync(Slot slot)
    {
        while (!_stop)
        {
            var start = Stopwatch.GetTimestamp();
            var pending = SendAsync(slot.Worker);
            var synchronous = pending.IsCompleted;
            var ok = await pending.ConfigureAwait(false);
            Record(slot.Log, ok, Stopwatch.GetTimestamp() - start);
            if (synchronous)
            {
                // A call that never waits (an in-process facade) would keep this pool thread forever and starve the
                // other producers and the window timer: give the thread back between requests.
                await Task.Yield();
            }
        }
    }

    private void ClosedLoopSync(Slot slot)
    {
        while (!_stop)
        {
            var start = Stopwatch.GetTimestamp();
            var ok = SendAsync(slot.Worker).AsTask().GetAwaiter().GetResult();
            Record(slot.Log, ok, Stopwatch.GetTimestamp() - start);
        }
    }

    private void OpenLoopSync(Slot slot, PoissonSchedule schedule)
    {
        while (!_stop)
        {
            var scheduled = schedule.Next();
            PreciseWait.Until(scheduled);
            if (_stop)
            {
                return;
            }

            var ok = SendAsync(slot.Worker).AsTask().GetAwaiter().GetResult();
            Record(slot.Log, ok, Stopwatch.GetTimestamp() - scheduled);
        }
    }

    private void Dispatch(PoissonSchedule schedule)
    {
        var free = new Stack<Slot>();
        var freeLock = new Lock();
        using var outstanding = new SemaphoreSlim(MaxOutstanding, MaxOutstanding);
        var inFlight = new List<Task>();
        while (!_stop)
        {
            var scheduled = schedule.Next();
            PreciseWait.Until(scheduled);
            outstanding.Wait(_cancellationToken);
            if (_stop)
            {
                outstanding.Release();
                break;
            }

            Slot? slot;
            lock (freeLock)
            {
                free.TryPop(out slot);
            }

            slot ??= NewSlot();
            _ = SendOneAsync(slot, scheduled);
        }

        // Wait for what is still outstanding, so the runner reads complete windows afterwards.
        for (var i = 0; i < MaxOutstanding; i++)
        {
            outstanding.Wait(CancellationToken.None);
        }

        async Task SendOneAsync(Slot slot, long scheduled)
        {
            try
            {
                var ok = await SendAsync(slot.Worker).ConfigureAwait(false);
                Record(slot.Log, ok, Stopwatch.GetTimestamp() - scheduled);
                lock (freeLock)
                {
                    free.Push(slot);
                }
            }
            finally
            {
                outstanding.Release();
            }
        }
    }

    private async ValueTask<bool> SendAsync(BenchWorker worker)
    {
        try
        {
            return await worker.SendAsync(_cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_cancellationToken.IsCancellationRequested)
        {
            _stop = true;
            return false;
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _firstError, e.GetType().Name + ": " + e.Message, null);
            return false;
        }
    }

    private static void Record(LatencyLog log, bool ok, long ticks)
    {
        if (ok)
        {
            log.Record(ticks);
        }
        else
        {
            log.RecordError();
        }
    }

    private static Task RunOnThread(string name, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    private sealed record Slot(BenchWorker Worker, LatencyLog Log);
}

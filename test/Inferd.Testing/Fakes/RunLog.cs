using Inferd.Abstractions.Tensors;

namespace Inferd.Testing.Fakes;

/// <summary>
/// Records every model run (a copy of its inputs and its cancellation token) and, while <see cref="Hold"/> is set,
/// keeps each new run waiting until the test releases it. Lets a scheduler test keep an instance provably busy,
/// see which batches ran in which order, and release them one at a time, without sleeping.
/// </summary>
public sealed class RunLog
{
    private readonly Lock _lock = new();
    private readonly List<RecordedRun> _runs = [];
    private readonly Dictionary<int, TaskCompletionSource<RecordedRun>> _started = [];
    private bool _hold;

    /// <summary>While true, each run that starts waits for its own <see cref="RecordedRun.Release"/>.</summary>
    public bool Hold
    {
        get
        {
            lock (_lock)
            {
                return _hold;
            }
        }

        set
        {
            lock (_lock)
            {
                _hold = value;
            }
        }
    }

    /// <summary>Runs started so far.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _runs.Count;
            }
        }
    }

    /// <summary>The runs started so far, in start order.</summary>
    public IReadOnlyList<RecordedRun> Runs
    {
        get
        {
            lock (_lock)
            {
                return _runs.ToArray();
            }
        }
    }

    /// <summary>Completes when run number <paramref name="index"/> (0-based) has started.</summary>
    public Task<RecordedRun> StartedAsync(int index)
    {
        lock (_lock)
        {
            return Waiter(index).Task;
        }
    }

    /// <summary>Stops holding and releases every run that waits.</summary>
    public void ReleaseAll()
    {
        RecordedRun[] runs;
        lock (_lock)
        {
            _hold = false;
            runs = _runs.ToArray();
        }

        foreach (var run in runs)
        {
            run.Release();
        }
    }

    /// <summary>Records a run and, when holding, waits until it is released or its token fires.</summary>
    public async Task EnterAsync(IReadOnlyList<InferenceTensor> inputs, CancellationToken cancellationToken)
    {
        RecordedRun run;
        TaskCompletionSource<RecordedRun> started;
        lock (_lock)
        {
            // Copy: merged batch inputs live in pooled buffers that go back to the pool after the run.
            run = new RecordedRun(_runs.Count, inputs.Select(t => t with { Data = t.Data.ToArray() }).ToArray(), cancellationToken);
            if (!_hold)
            {
                run.Release();
            }

            _runs.Add(run);
            started = Waiter(run.Index);
        }

        started.TrySetResult(run);
        await run.Released.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A run for <see cref="FakeBackend.Run"/>: records, waits while held, then echoes input i as output i
    /// (copied, since the caller owns returned buffers).
    /// </summary>
    public async Task<IReadOnlyList<InferenceTensor>> EchoAsync(IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken)
    {
        await EnterAsync(inputs, cancellationToken).ConfigureAwait(false);
        var outputs = new InferenceTensor[outputNames.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            var source = inputs[Math.Min(i, inputs.Count - 1)];
            outputs[i] = source with { Name = outputNames[i], Data = source.Data.ToArray() };
        }

        return outputs;
    }

    private TaskCompletionSource<RecordedRun> Waiter(int index)
    {
        if (!_started.TryGetValue(index, out var tcs))
        {
            tcs = new TaskCompletionSource<RecordedRun>(TaskCreationOptions.RunContinuationsAsynchronously);
            _started[index] = tcs;
        }

        return tcs;
    }
}

/// <summary>One model run seen by a <see cref="RunLog"/>.</summary>
public sealed class RecordedRun(int index, InferenceTensor[] inputs, CancellationToken token)
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>0-based start order.</summary>
    public int Index { get; } = index;

    /// <summary>Copies of the inputs the run got (the merged batch when requests were batched).</summary>
    public InferenceTensor[] Inputs { get; } = inputs;

    /// <summary>The token the scheduler passed to the run.</summary>
    public CancellationToken Token { get; } = token;

    /// <summary>Rows of the run: the first dimension of its first input.</summary>
    public long Rows => Inputs[0].Shape.Length > 0 ? Inputs[0].Shape[0] : 1;

    internal Task Released => _released.Task;

    /// <summary>Lets the run go on.</summary>
    public void Release() => _released.TrySetResult();
}

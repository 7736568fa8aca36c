namespace Inferd.Batch.Service;

/// <summary>A job a worker has claimed: its cancellation, why it was cancelled, and when its run has ended.</summary>
internal sealed class RunningJob(CancellationToken stopping) : IDisposable
{
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _cancelRequested;

    /// <summary>Fires when a client cancels the job or the server stops.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>True when a client cancelled it (as opposed to the server stopping).</summary>
    public bool CancelRequested => _cancelRequested;

    /// <summary>Completes when the run has ended and its final state is stored.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Cancels on a client's request.</summary>
    public void Cancel()
    {
        _cancelRequested = true;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended between the lookup and this call: nothing left to cancel.
        }
    }

    /// <summary>Marks the run ended.</summary>
    public void End() => _ended.TrySetResult();

    public void Dispose() => _cancel.Dispose();
}

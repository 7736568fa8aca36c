namespace Inferd.Core.Scheduling;

/// <summary>
/// Requests that run together in one model execution on one instance. When every request in it is gone
/// (cancelled or timed out), the batch's token fires and terminates the native run.
/// </summary>
internal sealed class ExecutionBatch : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private int _live;

    public ExecutionBatch(int instance, List<ScheduledRequest> requests, long rows)
    {
        Instance = instance;
        Requests = requests;
        Rows = rows;
        _live = requests.Count;
    }

    public int Instance { get; }

    public List<ScheduledRequest> Requests { get; }

    /// <summary>Total rows (sum of the requests' first dimensions).</summary>
    public long Rows { get; }

    public CancellationToken Token => _cancel.Token;

    /// <summary>Called once per request that left the batch early; the last one stops the run.</summary>
    public void RequestGone()
    {
        if (Interlocked.Decrement(ref _live) == 0)
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run already ended.
            }
        }
    }

    public void Dispose() => _cancel.Dispose();
}

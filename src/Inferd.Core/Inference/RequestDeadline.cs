namespace Inferd.Core.Inference;

/// <summary>
/// A per-request timeout (the <c>timeout</c> parameter, in microseconds) linked with the caller's token. Uses the
/// injected <see cref="TimeProvider"/> so tests drive it with fake time.
/// </summary>
internal sealed class RequestDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly ITimer _timer;
    private volatile bool _expired;

    public RequestDeadline(TimeSpan after, TimeProvider time, CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _timer = time.CreateTimer(static s => ((RequestDeadline)s!).Expire(), this, after, Timeout.InfiniteTimeSpan);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>True when the timeout, not the caller, cancelled the request.</summary>
    public bool Expired => _expired;

    public void Dispose()
    {
        _timer.Dispose();
        _source.Dispose();
    }

    private void Expire()
    {
        _expired = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request finished first.
        }
    }
}

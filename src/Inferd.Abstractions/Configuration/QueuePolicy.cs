namespace Inferd.Abstractions.Configuration;

/// <summary>What happens to a queued request whose timeout passes (ModelQueuePolicy.TimeoutAction).</summary>
public enum TimeoutAction
{
    /// <summary>Fail the request with a deadline error.</summary>
    Reject = 0,
    /// <summary>Keep it, behind every request of its level that has not timed out.</summary>
    Delay = 1,
}

/// <summary>A queue policy (Triton's ModelQueuePolicy).</summary>
/// <param name="TimeoutAction">Action on timeout.</param>
/// <param name="DefaultTimeoutMicroseconds">Timeout of requests that set none; 0 means none.</param>
/// <param name="AllowTimeoutOverride">Whether a request's <c>timeout</c> parameter may shorten the default.</param>
/// <param name="MaxQueueSize">Most requests waiting at this level; 0 means unbounded.</param>
public sealed record QueuePolicy(TimeoutAction TimeoutAction, long DefaultTimeoutMicroseconds, bool AllowTimeoutOverride, int MaxQueueSize)
{
    /// <summary>The policy of a config that sets none: no timeout, overrides allowed, unbounded.</summary>
    public static QueuePolicy Default { get; } = new(TimeoutAction.Reject, 0, true, 0);
}

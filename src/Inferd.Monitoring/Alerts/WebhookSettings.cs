namespace Inferd.Monitoring.Alerts;

/// <summary>Where alert state changes are POSTed, and how hard to try.</summary>
/// <param name="Url">An absolute http or https URL.</param>
/// <param name="MaxAttempts">Attempts per event, the first included (default 5).</param>
/// <param name="Timeout">Per attempt (default 5 s).</param>
/// <param name="Backoff">Wait before the second attempt; doubled before each next one (default 1 s: 1, 2, 4, 8 s).</param>
internal sealed record WebhookSettings(Uri Url, int MaxAttempts, TimeSpan Timeout, TimeSpan Backoff)
{
    /// <summary>The longest wait between two attempts, however many there are.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): Backoff × 2^(attempt − 1), at most <see cref="MaxBackoff"/>.</summary>
    public TimeSpan Delay(int attempt)
    {
        var ticks = Backoff.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }
}

namespace Inferd.Monitoring.Alerts;

/// <summary>How the webhook call of one state change ended.</summary>
/// <param name="At">When it ended.</param>
/// <param name="Result"><c>delivered</c> (a 2xx answer), <c>failed</c> (every attempt failed) or <c>dropped</c> (the queue was full).</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="Error">The last failure (an HTTP status or an exception message), or null.</param>
internal sealed record WebhookDelivery(DateTimeOffset At, string Result, int Attempts, string? Error)
{
    /// <summary>A 2xx answer.</summary>
    public const string Delivered = "delivered";

    /// <summary>Every attempt failed.</summary>
    public const string Failed = "failed";

    /// <summary>The queue was full.</summary>
    public const string Dropped = "dropped";
}

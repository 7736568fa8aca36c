namespace Inferd.Monitoring.Alerts;

/// <summary>Where one rule stands for one signal (a model, version and signal name it matched).</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Signal">The signal as last read (its value is the current one).</param>
/// <param name="Firing">Whether the value is outside the rule's bounds.</param>
/// <param name="Threshold">The bound compared with (see <see cref="AlertRule.Threshold"/>).</param>
/// <param name="Since">When the state last changed (or the signal was first seen).</param>
/// <param name="EvaluatedAt">When the signal was last read.</param>
internal sealed record AlertStatus(AlertRule Rule, AlertSignal Signal, bool Firing, double Threshold, DateTimeOffset Since, DateTimeOffset EvaluatedAt)
{
    /// <summary>How the webhook call of the last state change ended, or null (no change yet, no webhook, or still trying).</summary>
    public WebhookDelivery? LastDelivery { get; init; }

    /// <summary><c>firing</c> or <c>ok</c>.</summary>
    public string State => Firing ? AlertEvent.Firing : "ok";
}

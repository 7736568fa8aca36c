using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Alerts;

/// <summary>Log events of alerting (ids 7620-7639).</summary>
internal static partial class AlertsLog
{
    [LoggerMessage(EventId = 7621, Level = LogLevel.Warning, Message = "Alert {Rule} FIRING: {Kind} signal {Signal} of {Model} version {Version} is {Value} (threshold {Threshold})")]
    public static partial void Firing(ILogger logger, string rule, string kind, string signal, string model, string version, double value, double threshold);

    [LoggerMessage(EventId = 7622, Level = LogLevel.Information, Message = "Alert {Rule} resolved: {Kind} signal {Signal} of {Model} version {Version} is {Value} (threshold {Threshold})")]
    public static partial void Resolved(ILogger logger, string rule, string kind, string signal, string model, string version, double value, double threshold);

    [LoggerMessage(EventId = 7623, Level = LogLevel.Warning, Message = "Alert signal source {Source} failed; its rules keep their state this round")]
    public static partial void SourceFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 7624, Level = LogLevel.Debug, Message = "Webhook attempt {Attempt} for alert {Rule} failed: {Error}; retrying in {Delay}")]
    public static partial void WebhookRetry(ILogger logger, int attempt, string rule, string error, TimeSpan delay);

    [LoggerMessage(EventId = 7625, Level = LogLevel.Warning, Message = "Webhook for alert {Rule} ({State}) failed after {Attempts} attempts: {Error}")]
    public static partial void WebhookFailed(ILogger logger, string rule, string state, int attempts, string error);

    [LoggerMessage(EventId = 7626, Level = LogLevel.Warning, Message = "Webhook queue full; the {State} event of alert {Rule} was dropped")]
    public static partial void WebhookDropped(ILogger logger, string rule, string state);

    [LoggerMessage(EventId = 7627, Level = LogLevel.Warning, Message = "Alert evaluation failed")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception);
}

namespace Inferd.Monitoring.Alerts;

/// <summary>
/// A monitor whose figures alert rules can watch (drift, live accuracy, fairness, error rate). Read by the alert
/// engine on its own timer, never on the request path.
/// </summary>
public interface IAlertSignalSource
{
    /// <summary>The current figures; may query the prediction log.</summary>
    Task<IReadOnlyList<AlertSignal>> ReadSignalsAsync(CancellationToken cancellationToken);
}

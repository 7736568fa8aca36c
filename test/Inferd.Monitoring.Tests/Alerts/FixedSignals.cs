using Inferd.Monitoring.Alerts;

namespace Inferd.Monitoring.Tests.Alerts;

/// <summary>A signal source over numbers the test sets; it can also be told to fail.</summary>
internal sealed class FixedSignals : IAlertSignalSource
{
    private volatile AlertSignal[] _signals = [];

    public Exception? Failure { get; set; }

    public void Set(params AlertSignal[] signals) => _signals = signals;

    public Task<IReadOnlyList<AlertSignal>> ReadSignalsAsync(CancellationToken cancellationToken) =>
        Failure is { } failure ? Task.FromException<IReadOnlyList<AlertSignal>>(failure) : Task.FromResult<IReadOnlyList<AlertSignal>>(_signals);
}

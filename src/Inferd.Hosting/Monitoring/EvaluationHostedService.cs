using Inferd.Monitoring.Accuracy;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Fairness;
using Microsoft.Extensions.Hosting;

namespace Inferd.Hosting.Monitoring;

/// <summary>Starts the monitors' and the alert engine's timers with the host and stops them before the facade goes away.</summary>
internal sealed class EvaluationHostedService(LiveAccuracyMonitor accuracy, FairnessMonitor fairness, AlertEngine? alerts) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        accuracy.Start();
        fairness.Start();
        alerts?.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (alerts is not null)
        {
            await alerts.DisposeAsync().ConfigureAwait(false);
        }

        await fairness.DisposeAsync().ConfigureAwait(false);
        await accuracy.DisposeAsync().ConfigureAwait(false);
    }
}

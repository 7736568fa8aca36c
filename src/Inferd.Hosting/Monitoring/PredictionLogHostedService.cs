using Inferd.Monitoring.PredictionLog;
using Microsoft.Extensions.Hosting;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// Opens the prediction log before the server takes traffic (a store that cannot be opened stops the start with its
/// error), runs retention, and at stop commits everything queued before the store is closed.
/// </summary>
internal sealed class PredictionLogHostedService(PredictionLogWriter writer, PredictionLogRetention retention) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await writer.StartAsync(cancellationToken).ConfigureAwait(false);
        retention.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await retention.DisposeAsync().ConfigureAwait(false);
        await writer.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}

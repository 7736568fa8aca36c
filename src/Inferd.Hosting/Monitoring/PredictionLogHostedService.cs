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
        try
        {
            await writer.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One line from the CLI rather than a stack trace: the usual causes are a wrong path, permissions, or a
            // database that is down.
            throw new IOException($"the prediction log ({writer.Store.Kind}) cannot be opened: {e.Message}", e);
        }

        retention.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await retention.DisposeAsync().ConfigureAwait(false);
        await writer.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}

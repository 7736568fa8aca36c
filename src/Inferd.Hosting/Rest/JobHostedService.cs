using Inferd.Batch.Service;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Starts the job service once start-up model loading is over, and stops it (running jobs back to the queue) before
/// the models are unloaded. Registered after <see cref="ModelStartup"/>, so the host stops it first.
/// </summary>
internal sealed class JobHostedService(BatchJobManager manager, IServiceProvider services) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _starting = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A job requeued from an earlier run would otherwise find its model still loading and fail.
        var loaded = services.GetService<ModelStartup>()?.Loaded ?? Task.CompletedTask;
        _starting = StartAfterAsync(loaded);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _starting.ConfigureAwait(false);
        await manager.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task StartAfterAsync(Task loaded)
    {
        try
        {
            await loaded.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception)
        {
            // Loading failed or was cancelled: jobs still run, and those whose model is missing fail saying so.
        }

        await manager.StartAsync(_stopping.Token).ConfigureAwait(false);
    }
}

using Inferd.Core.Inference;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting;

/// <summary>
/// Loads models in the background once the host starts, so liveness answers at once and readiness turns true when
/// loading is done (Kubernetes probes rely on exactly this split). Stopping, or disposal after a failed start,
/// cancels the loading and waits for it: a process must not exit while ONNX Runtime is creating a session on
/// another thread (that ended in a segmentation fault when the port was already taken).
/// </summary>
public sealed partial class ModelStartup(InferenceService service, InferdServerInfo info, ILogger<ModelStartup> logger) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _loading = Task.CompletedTask;

    /// <summary>Completes when start-up loading has finished (whatever the outcome of each model).</summary>
    public Task Loaded => _loaded.Task;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loading = Task.Run(LoadAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopLoadingAsync().ConfigureAwait(false);
        await service.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopLoadingAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task LoadAsync()
    {
        try
        {
            await service.StartAsync(_stopping.Token).ConfigureAwait(false);
            Started(logger, info.HttpPort, info.GrpcPort, service.IsReady);
            _loaded.TrySetResult();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            _loaded.TrySetCanceled();
        }
        catch (Exception ex)
        {
            StartFailed(logger, ex);
            _loaded.TrySetException(ex);
        }
    }

    private async Task StopLoadingAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await _loading.ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Inferd serving: REST on port {HttpPort}, gRPC on port {GrpcPort}; ready={Ready}")]
    private static partial void Started(ILogger logger, int httpPort, int grpcPort, bool ready);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Critical, Message = "Model start-up failed")]
    private static partial void StartFailed(ILogger logger, Exception exception);
}

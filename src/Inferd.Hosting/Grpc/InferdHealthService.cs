using Grpc.Core;
using Grpc.Health.V1;
using Inferd.Core.Inference;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Inferd.Hosting.Grpc;

/// <summary>
/// <c>grpc.health.v1.Health</c> (protocol.md §10). Service <c>""</c> (or the inference service's full name) is the
/// server and follows <see cref="IInferenceService.IsReady"/>; any other name is taken as a model name and follows
/// that model's readiness. Unauthenticated by design: Kubernetes probes call it.
/// </summary>
internal sealed class InferdHealthService(IInferenceService inference, TimeProvider time) : Health.HealthBase
{
    /// <summary>How often <c>Watch</c> re-reads the state; readiness has no change event to subscribe to.</summary>
    internal static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    private const string InferenceServiceName = "inference.GRPCInferenceService";

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new HealthCheckResponse { Status = StatusOf(request.Service) });

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        using var timer = new PeriodicTimer(WatchInterval, time);
        ServingStatus? last = null;
        try
        {
            do
            {
                var status = StatusOf(request.Service);
                if (status != last)
                {
                    await responseStream.WriteAsync(new HealthCheckResponse { Status = status }, token);
                    last = status;
                }
            }
            while (await timer.WaitForNextTickAsync(token));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The client stopped watching; ending the call is the normal outcome.
        }
    }

    internal ServingStatus StatusOf(string service)
    {
        var ready = service.Length == 0 || service == InferenceServiceName
            ? inference.IsReady
            : inference.IsModelReady(service, null);
        return ready ? ServingStatus.Serving : ServingStatus.NotServing;
    }
}

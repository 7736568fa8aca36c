using Inferd.Abstractions.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Inferd.Hosting.Grpc;

/// <summary>Registers and maps Inferd's gRPC endpoints: the inference service, health and reflection.</summary>
public static class GrpcServiceRegistration
{
    /// <summary>
    /// Adds gRPC with message limits equal to the request and response caps (no silent 4 MB cliff, protocol.md
    /// §9.4), detailed errors off, reflection, and the services' dependencies. Expects an
    /// <c>IInferenceService</c> to be registered by the host.
    /// </summary>
    public static IServiceCollection AddInferdGrpc(this IServiceCollection services, RequestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = ClampToInt(limits.MaxRequestBytes);
            options.MaxSendMessageSize = ClampToInt(limits.MaxResponseBytes);
            options.EnableDetailedErrors = false;
        });
        services.AddGrpcReflection();
        services.TryAddSingleton(limits);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddTransient<StreamInferHandler>(); // transient: works whatever lifetime the host gives IInferenceService
        return services;
    }

    /// <summary>Maps <c>inference.GRPCInferenceService</c>, <c>grpc.health.v1.Health</c> and gRPC reflection.</summary>
    public static IEndpointRouteBuilder MapInferdGrpc(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<GrpcInferenceService>();
        app.MapGrpcService<InferdHealthService>();
        app.MapGrpcReflectionService();
        return app;
    }

    // grpc-dotnet takes int limits; a configured cap beyond 2 GiB means "as large as gRPC allows".
    private static int ClampToInt(long value) => value >= int.MaxValue ? int.MaxValue : (int)Math.Max(0, value);
}

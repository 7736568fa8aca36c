using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Monitoring;

/// <summary>Registers trace propagation and OTLP export (docs/tracing.md).</summary>
internal static class TracingServices
{
    public static IServiceCollection AddInferdTracing(this IServiceCollection services, InferdHostOptions options)
    {
        services.AddSingleton(sp => new TracingHostedService(options, sp.GetRequiredService<ILogger<TracingHostedService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TracingHostedService>());
        return services;
    }

    /// <summary>Adds the middleware that returns <c>traceparent</c> on every REST and gRPC response.</summary>
    public static WebApplication MapInferdTracing(this WebApplication app)
    {
        app.Use(TraceContextMiddleware.InvokeAsync);
        return app;
    }
}

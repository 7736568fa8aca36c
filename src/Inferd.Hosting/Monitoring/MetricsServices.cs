using Inferd.Core.Inference;
using Inferd.Core.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Monitoring;

/// <summary>Registers the per-model and process metrics and serves <c>/metrics</c> on the metrics port (docs/metrics.md).</summary>
internal static class MetricsServices
{
    /// <summary>
    /// Registers the facade's per-model source, then the process source. Sources appear on the page in registration
    /// order, so the monitoring features' sources, registered after these, follow them.
    /// </summary>
    public static IServiceCollection AddInferdMetrics(this IServiceCollection services, InferdHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<InferenceService>().CreateMetricsSource(options.MetricsNaming));
        services.AddSingleton<ProcessMetrics>();
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<ProcessMetrics>());
        return services;
    }

    /// <summary>Sends every request that arrives on the metrics port to <see cref="MetricsEndpoint"/>, and only those.</summary>
    public static WebApplication MapInferdMetrics(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<InferdServerInfo>().MetricsPort;
        if (port > 0)
        {
            // Created now rather than at the first scrape, so its exception count covers the whole run.
            _ = app.Services.GetRequiredService<ProcessMetrics>();
            // A branch, not a route: the REST and gRPC endpoints never run for a connection to this port, and the
            // REST catch-all answers 404 for /metrics on the other ports.
            app.MapWhen(context => context.Connection.LocalPort == port, branch => branch.Run(MetricsEndpoint.HandleAsync));
        }

        return app;
    }
}

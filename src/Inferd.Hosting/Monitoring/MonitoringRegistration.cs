using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// Registers the observability features (metrics, tracing, prediction log, feedback and live accuracy, drift,
/// fairness, alerts). Components meet only through DI: observers (<c>IInferenceObserver</c>) are handed to the facade,
/// metrics sources (<c>IMetricsSource</c>) to <c>/metrics</c>, signal sources (<c>IAlertSignalSource</c>) to the alert engine.
/// </summary>
internal static class MonitoringRegistration
{
    public static IServiceCollection AddInferdMonitoring(this IServiceCollection services, InferdHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddInferdMetrics(options);
        services.AddInferdTracing(options);
        // Observers run in registration order: the log first, so a durable commit is not delayed by the others.
        services.AddInferdPredictionLog(options);
        services.AddInferdDrift(options);
        services.AddInferdEvaluations(options);
        return services;
    }

    public static WebApplication MapInferdMonitoring(this WebApplication app)
    {
        app.MapInferdMetrics();
        app.MapInferdTracing();
        app.MapInferdPredictionLog();
        app.MapInferdDrift();
        app.MapInferdEvaluations();
        return app;
    }
}

using Inferd.Core.Inference;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Accuracy;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Fairness;
using Inferd.Monitoring.PredictionLog;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// Live accuracy, fairness and alerts (docs/accuracy-fairness-alerts.md). The monitors read the prediction log through
/// an <see cref="IPredictionLogStore"/> from DI, which exists only with <c>--prediction-log</c>; without it they stay
/// empty and their routes say how to turn the log on. The alert engine exists only with <c>--alerts</c>.
/// </summary>
internal static class EvaluationRegistration
{
    /// <summary>Registers the monitors (as metrics and alert signal sources), the error-rate signals and, with an alerts file, the engine.</summary>
    public static IServiceCollection AddInferdEvaluations(this IServiceCollection services, InferdHostOptions options)
    {
        services.AddSingleton(sp => new LiveAccuracyMonitor(
            sp.GetRequiredService<IInferenceService>(), sp.GetService<IPredictionLogStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LiveAccuracyMonitor>>()));
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<LiveAccuracyMonitor>());
        services.AddSingleton<IAlertSignalSource>(sp => sp.GetRequiredService<LiveAccuracyMonitor>());
        services.AddSingleton(sp => new FairnessMonitor(
            sp.GetRequiredService<IInferenceService>(), sp.GetService<IPredictionLogStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FairnessMonitor>>()));
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<FairnessMonitor>());
        services.AddSingleton<IAlertSignalSource>(sp => sp.GetRequiredService<FairnessMonitor>());
        services.AddSingleton<IAlertSignalSource>(sp => new ErrorRateSignals(sp.GetRequiredService<IInferenceService>()));
        if (options.Monitoring.AlertsFile is { } file)
        {
            // Validated with the other options before the host is built (MonitoringOptions.Validate).
            var rules = AlertRules.Load(file);
            services.AddSingleton(sp => new AlertEngine(rules, sp.GetServices<IAlertSignalSource>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AlertEngine>>()));
            services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<AlertEngine>());
        }

        services.AddHostedService(sp => new EvaluationHostedService(sp.GetRequiredService<LiveAccuracyMonitor>(), sp.GetRequiredService<FairnessMonitor>(), sp.GetService<AlertEngine>()));
        return services;
    }

    /// <summary>Maps <c>v2/models/{m}[/versions/{v}]/accuracy</c>, <c>.../fairness</c> and <c>v2/alerts</c>.</summary>
    public static WebApplication MapInferdEvaluations(this WebApplication app)
    {
        EvaluationEndpoints.Map(app);
        return app;
    }
}

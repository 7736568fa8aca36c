using Inferd.Core.Inference;
using Inferd.Core.Telemetry;
using Inferd.Monitoring;
using Inferd.Monitoring.PredictionLog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// Registers the prediction log when <c>--prediction-log</c> is set: the store as <see cref="IPredictionLogStore"/>
/// (feedback, accuracy and fairness read it), the writer as an <see cref="IInferenceObserver"/> and
/// <see cref="IMetricsSource"/>, retention as an <see cref="IMetricsSource"/>, and the hosted service that starts and
/// drains them.
/// </summary>
internal static class PredictionLogRegistration
{
    private const string LoggerName = "Inferd.Monitoring.PredictionLog";

    public static IServiceCollection AddInferdPredictionLog(this IServiceCollection services, InferdHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Monitoring.PredictionLog is not { } target)
        {
            return services;
        }

        var monitoring = options.Monitoring;
        // The container disposes the store (closing the file or the pool) after the hosted service has drained the writer.
        services.AddSingleton(_ => PredictionLogStores.Open(target));
        services.AddSingleton(sp => new PredictionLogWriter(sp.GetRequiredService<IPredictionLogStore>(), monitoring, Logger(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IInferenceObserver>(sp => sp.GetRequiredService<PredictionLogWriter>());
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<PredictionLogWriter>());
        services.AddSingleton(sp => new PredictionLogRetention(sp.GetRequiredService<IPredictionLogStore>(), monitoring, sp.GetRequiredService<TimeProvider>(), Logger(sp)));
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<PredictionLogRetention>());
        services.AddHostedService<PredictionLogHostedService>();
        return services;
    }

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName);
}

using Inferd.Batch.Service;
using Inferd.Core.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Rest;

/// <summary>Registers the job service when the options name a data folder.</summary>
internal static class JobServices
{
    private const string LoggerName = "Inferd.Batch.Service";

    public static IServiceCollection AddInferdJobs(this IServiceCollection services, InferdHostOptions options)
    {
        if (options.DataDirectory is not { } dataDirectory)
        {
            return services;
        }

        var jobOptions = new BatchJobManagerOptions
        {
            DataDirectory = Path.GetFullPath(dataDirectory),
            DatabasePath = options.JobsDatabase is { } db ? Path.GetFullPath(db) : null,
            MaxConcurrentJobs = options.MaxConcurrentJobs,
            MinFileAge = TimeSpan.FromSeconds(options.ScheduleMinFileAgeSecs),
        };
        // The container disposes the manager (closing the database) when the host is disposed.
        services.AddSingleton(sp => BatchJobManager.Create(
            jobOptions,
            sp.GetRequiredService<IInferenceService>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerName)));
        services.AddHostedService<JobHostedService>();
        return services;
    }
}

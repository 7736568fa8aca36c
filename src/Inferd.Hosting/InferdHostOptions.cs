using Inferd.Abstractions.Inference;
using Inferd.Core.Repository;
using Inferd.Core.Telemetry;
using Inferd.Explain;
using Inferd.Monitoring;

namespace Inferd.Hosting;

/// <summary>Everything <c>inferd serve</c> configures. Validated by <see cref="Validate"/> before the host starts.</summary>
public sealed record InferdHostOptions
{
    /// <summary>Model repository root.</summary>
    public required string ModelRepository { get; init; }

    /// <summary>Address to bind; loopback by default (bad-inputs.md §4.2, rule 6).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>REST port (HTTP/1.1 and HTTP/2); 0 picks a free port; -1 disables REST.</summary>
    public int HttpPort { get; init; } = 8000;

    /// <summary>gRPC port (HTTP/2 only, h2c); 0 picks a free port; -1 disables gRPC.</summary>
    public int GrpcPort { get; init; } = 8001;

    /// <summary>Metrics port (<c>/metrics</c>, Prometheus text format, bound to <see cref="Host"/>); 0 picks a free port; -1 disables.</summary>
    public int MetricsPort { get; init; } = 8002;

    /// <summary>Names of the per-model inference metrics (<c>--metrics-naming</c>).</summary>
    public MetricsNaming MetricsNaming { get; init; } = MetricsNaming.Inferd;

    /// <summary>OTLP/HTTP endpoint traces are exported to (<c>--otlp-endpoint</c>), or null for no export.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>Prediction log, drift, accuracy, fairness and alert settings.</summary>
    public MonitoringOptions Monitoring { get; init; } = new();

    /// <summary>Explanation limits: budget of model evaluations, concurrency and queue (<c>--explain-*</c>).</summary>
    public ExplainOptions Explain { get; init; } = new();

    /// <summary>Model control mode.</summary>
    public ModelControlMode ModelControlMode { get; init; } = ModelControlMode.None;

    /// <summary>Models to load at start in explicit mode (<c>--load-model</c>); "*" loads all.</summary>
    public IReadOnlyList<string> StartupModels { get; init; } = [];

    /// <summary>Server readiness requires every model that should load to be ready.</summary>
    public bool StrictReadiness { get; init; } = true;

    /// <summary>How long shutdown waits for in-flight requests.</summary>
    public int ExitTimeoutSecs { get; init; } = 30;

    /// <summary>Polling interval in poll mode.</summary>
    public int RepositoryPollSecs { get; init; } = 15;

    /// <summary>Size of the response cache shared by models with <c>response_cache.enable</c>; 0 turns it off.</summary>
    public long ResponseCacheBytes { get; init; }

    /// <summary>
    /// The data folder of the batch job API (<c>--data-dir</c>): job paths are relative to it and never leave it.
    /// Null turns the job API off.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>The job database (<c>--jobs-db</c>); null for <c>DataDirectory/.inferd/jobs.db</c>.</summary>
    public string? JobsDatabase { get; init; }

    /// <summary>Batch jobs that run at the same time (<c>--max-concurrent-jobs</c>).</summary>
    public int MaxConcurrentJobs { get; init; } = 1;

    /// <summary>Seconds a file must be unchanged before a schedule takes it (<c>--schedule-min-file-age-secs</c>).</summary>
    public int ScheduleMinFileAgeSecs { get; init; } = 5;

    /// <summary>Request limits.</summary>
    public RequestLimits Limits { get; init; } = new();

    /// <summary>Returns the problems with these options, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelRepository))
        {
            errors.Add("--model-repository is required");
        }
        else if (!Directory.Exists(ModelRepository))
        {
            errors.Add("the model repository folder does not exist: " + ModelRepository);
        }

        foreach (var (name, port) in new[] { ("--http-port", HttpPort), ("--grpc-port", GrpcPort), ("--metrics-port", MetricsPort) })
        {
            if (port is < -1 or > 65535)
            {
                errors.Add($"{name} must be between 0 and 65535 (or -1 to disable)");
            }
        }

        if (ResponseCacheBytes < 0)
        {
            errors.Add("--cache-size must not be negative");
        }

        if (ExitTimeoutSecs < 0)
        {
            errors.Add("--exit-timeout-secs must not be negative");
        }

        if (RepositoryPollSecs < 1)
        {
            errors.Add("--repository-poll-secs must be at least 1");
        }

        if (DataDirectory is not null && !Directory.Exists(DataDirectory))
        {
            errors.Add("the data folder does not exist: " + DataDirectory);
        }

        if (JobsDatabase is not null && DataDirectory is null)
        {
            errors.Add("--jobs-db needs --data-dir (the job API is off without a data folder)");
        }

        if (MaxConcurrentJobs is < 1 or > 64)
        {
            errors.Add("--max-concurrent-jobs must be between 1 and 64");
        }

        if (ScheduleMinFileAgeSecs < 0)
        {
            errors.Add("--schedule-min-file-age-secs must not be negative");
        }

        if (OtlpEndpoint is not null && OtlpEndpoint.Scheme is not ("http" or "https"))
        {
            errors.Add("--otlp-endpoint must be an http or https URL");
        }

        errors.AddRange(Monitoring.Validate());
        errors.AddRange(Explain.Validate());
        return errors;
    }
}

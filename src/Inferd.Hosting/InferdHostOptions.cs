using Inferd.Abstractions.Inference;
using Inferd.Core.Repository;

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

    /// <summary>Metrics port; reserved for the metrics feature, -1 disables.</summary>
    public int MetricsPort { get; init; } = 8002;

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

        return errors;
    }
}

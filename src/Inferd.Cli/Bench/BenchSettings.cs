namespace Inferd.Cli.Bench;

/// <summary>Everything one <c>inferd bench</c> run needs, validated by the command.</summary>
internal sealed record BenchSettings
{
    public required string Model { get; init; }

    public required BenchMode Mode { get; init; }

    /// <summary>True: the transport's no-op endpoint instead of inference.</summary>
    public bool Noop { get; init; }

    /// <summary>Server base address (server modes).</summary>
    public Uri? Address { get; init; }

    /// <summary>Model file (raw mode).</summary>
    public string? ModelFile { get; init; }

    /// <summary>Model repository (raw-batcher mode).</summary>
    public string? ModelRepository { get; init; }

    /// <summary>Sessions and workers in raw mode.</summary>
    public int Instances { get; init; } = 1;

    /// <summary>Intra-op threads per session in raw mode; null = cores / instances.</summary>
    public int? IntraOpThreads { get; init; }

    public int BatchSize { get; init; } = 1;

    /// <summary>Closed-loop points (outstanding requests); empty when <see cref="RequestRates"/> is used.</summary>
    public IReadOnlyList<int> Concurrency { get; init; } = [];

    /// <summary>Open-loop points (Poisson arrivals per second); empty for a closed loop.</summary>
    public IReadOnlyList<double> RequestRates { get; init; } = [];

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(5);

    public int MaxWindows { get; init; } = 10;

    /// <summary>Allowed relative spread of throughput and p95 over the last three windows.</summary>
    public double Stability { get; init; } = 0.15;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Server process whose CPU time is sampled from <c>/proc</c>.</summary>
    public int? ServerPid { get; init; }

    /// <summary>Seed of the random input values.</summary>
    public int Seed { get; init; } = 42;
}

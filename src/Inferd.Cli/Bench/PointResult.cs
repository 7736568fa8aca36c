namespace Inferd.Cli.Bench;

/// <summary>The figures of one load point, from its merged last windows.</summary>
internal sealed record PointResult
{
    public required LoadPoint Point { get; init; }

    public double RequestsPerSecond { get; init; }

    public double ItemsPerSecond { get; init; }

    public double AverageUs { get; init; }

    public double P50Us { get; init; }

    public double P90Us { get; init; }

    public double P95Us { get; init; }

    public double P99Us { get; init; }

    public double MaxUs { get; init; }

    /// <summary>Failed requests over every measurement window of the point.</summary>
    public long Errors { get; init; }

    public bool Stable { get; init; }

    /// <summary>Windows merged into the figures.</summary>
    public int Windows { get; init; }

    public double? ServerCpuUsPerRequest { get; init; }

    public double ClientAllocBytesPerRequest { get; init; }

    public ServerBreakdown? Server { get; init; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Inferd.Bench.Suite;

/// <summary>The <c>--json</c> file of <c>inferd bench</c>: one run of one model and mode over one or more points.</summary>
internal sealed record BenchRun
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public string Model { get; init; } = "";

    public string Mode { get; init; } = "";

    public string Endpoint { get; init; } = "infer";

    public int BatchSize { get; init; } = 1;

    public IReadOnlyList<BenchPoint> Points { get; init; } = [];

    /// <summary>Parses the JSON text; throws <see cref="FormatException"/> when it is not a run with at least one point.</summary>
    public static BenchRun Parse(string json)
    {
        BenchRun? run;
        try
        {
            run = JsonSerializer.Deserialize<BenchRun>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException("inferd bench wrote JSON the suite cannot read: " + ex.Message, ex);
        }

        if (run is null || run.Points.Count == 0)
        {
            throw new FormatException("inferd bench wrote no points");
        }

        return run;
    }
}

/// <summary>One measured point (closed loop at a concurrency, or open loop at a request rate). Times are in µs.</summary>
internal sealed record BenchPoint
{
    public int Concurrency { get; init; }

    public double? RequestRate { get; init; }

    public double RequestsPerS { get; init; }

    public double ItemsPerS { get; init; }

    public double P50Us { get; init; }

    public double P90Us { get; init; }

    public double P95Us { get; init; }

    public double P99Us { get; init; }

    public double MaxUs { get; init; }

    public long Errors { get; init; }

    public bool Stable { get; init; }

    public int Windows { get; init; }

    public double? ServerCpuUsPerRequest { get; init; }

    public double? ClientAllocBytesPerRequest { get; init; }

    public double? ServerQueueUs { get; init; }

    public double? ServerComputeInputUs { get; init; }

    public double? ServerComputeInferUs { get; init; }

    public double? ServerComputeOutputUs { get; init; }

    public double? AvgBatch { get; init; }
}

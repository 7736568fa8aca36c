namespace Inferd.Bench.Batch;

/// <summary>Settings of one run of the <c>batch</c> verb.</summary>
internal sealed record BatchBenchOptions
{
    /// <summary>Rows of the generated input.</summary>
    public int Rows { get; init; } = 200_000;

    /// <summary>
    /// Rounds of raw, CSV, Parquet; one more raw window closes the run, so drift over the run moves both sides of
    /// the ratio alike.
    /// </summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Length of each timed raw ONNX Runtime window, in seconds.</summary>
    public double RawSeconds { get; init; } = 3;

    /// <summary>Model repository to use; null writes the benchmark model into the work folder.</summary>
    public string? Repository { get; init; }

    /// <summary>Model name in the repository.</summary>
    public string Model { get; init; } = "mlp-batched";

    /// <summary>Sessions (instance_group count) of the written model.</summary>
    public int Instances { get; init; } = 1;

    /// <summary>intra_op_thread_count of each session of the written model; 0 for the server's default.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Folder for inputs and outputs; null for a temporary folder that is deleted afterwards.</summary>
    public string? WorkFolder { get; init; }

    /// <summary>File to write the figures to as JSON, or null.</summary>
    public string? JsonPath { get; init; }

    /// <summary>Whether to time each stage of the job alone once after the rounds.</summary>
    public bool Profile { get; init; }

    /// <summary>
    /// The CI smoke run: 20,000 rows, one round, 1 s raw windows. It checks that every path runs end to end and
    /// says nothing about speed.
    /// </summary>
    public static BatchBenchOptions Smoke(BatchBenchOptions options) => options with { Rows = 20_000, Rounds = 1, RawSeconds = 1 };
}

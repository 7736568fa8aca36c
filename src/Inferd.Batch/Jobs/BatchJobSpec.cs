namespace Inferd.Batch.Jobs;

/// <summary>
/// Everything that defines a batch job. Two runs of the same spec over the same input cut the same shards and write
/// the same bytes; the spec's <see cref="Fingerprint"/> is stored in the output's manifest, so a restart with a
/// different spec is refused instead of mixing outputs.
/// </summary>
public sealed record BatchJobSpec
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>Model version, or null for the version policy's choice.</summary>
    public string? Version { get; init; }

    /// <summary>
    /// Input paths: files, or one folder. A folder of .csv/.jsonl/.parquet files is read file by file in ordinal
    /// order of their relative paths; any other folder is a folder of files, one row per file (images, text).
    /// </summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>
    /// Output path. A path with a format's extension (<c>out.csv</c>) becomes one file when the job completes; any
    /// other path is a folder of <c>part-NNNNN</c> files (always so with <see cref="ShardCount"/> above 1).
    /// </summary>
    public required string Output { get; init; }

    /// <summary>Input format name (<c>csv</c>, <c>jsonl</c>, <c>parquet</c>, <c>files</c>); null to infer from extensions.</summary>
    public string? InputFormat { get; init; }

    /// <summary>Output format name; null to infer from <see cref="Output"/>'s extension, else the input's format (csv for files).</summary>
    public string? OutputFormat { get; init; }

    /// <summary>Column whose value keys each output row; null keys rows by input file and row number.</summary>
    public string? IdColumn { get; init; }

    /// <summary>Model input → the input columns that fill it, in order. Inputs not named here use the default mapping.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> InputMap { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Model output → output column name. When empty every output is written under its own name.</summary>
    public IReadOnlyDictionary<string, string> OutputMap { get; init; } = new Dictionary<string, string>();

    /// <summary>Rows per shard, the unit of commit and of resume.</summary>
    public int ShardRows { get; init; } = 10_000;

    /// <summary>This worker's index among <see cref="ShardCount"/> workers; it takes shards with number % count == index.</summary>
    public int ShardIndex { get; init; }

    /// <summary>Number of workers splitting the input.</summary>
    public int ShardCount { get; init; } = 1;

    /// <summary>The job stops once more rows than this have failed; null for no limit.</summary>
    public long? MaxErrors { get; init; }

    /// <summary>Rows per request; 0 for the model's preferred batch size.</summary>
    public int BatchSize { get; init; }

    /// <summary>Requests in flight; 0 for the model's instance count.</summary>
    public int Concurrency { get; init; }

    /// <summary>A stable hash of everything that decides the output's bytes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Fingerprint => JobFingerprint.Compute(this);
}

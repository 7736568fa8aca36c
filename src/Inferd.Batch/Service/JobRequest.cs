namespace Inferd.Batch.Service;

/// <summary>
/// A job as a client submits it: paths relative to the data folder, everything else as in
/// <see cref="Jobs.BatchJobSpec"/>. Also the template of a schedule's jobs.
/// </summary>
public sealed record JobRequest
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>Model version, or null for the version policy's choice.</summary>
    public string? Version { get; init; }

    /// <summary>Input file or folder, relative to the data folder; it must exist.</summary>
    public required string Input { get; init; }

    /// <summary>Output file or folder, relative to the data folder; neither the input nor inside it.</summary>
    public required string Output { get; init; }

    /// <summary>Input format name, or null to infer it from extensions.</summary>
    public string? InputFormat { get; init; }

    /// <summary>Output format name, or null to infer it.</summary>
    public string? OutputFormat { get; init; }

    /// <summary>Column whose value keys each output row.</summary>
    public string? IdColumn { get; init; }

    /// <summary>Model input → the input columns that fill it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> InputMap { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Model output → output column.</summary>
    public IReadOnlyDictionary<string, string> OutputMap { get; init; } = new Dictionary<string, string>();

    /// <summary>Rows per shard (the unit of commit and resume); null for the runner's default.</summary>
    public int? ShardRows { get; init; }

    /// <summary>The job fails once more rows than this have failed; null for no limit.</summary>
    public long? MaxErrors { get; init; }

    /// <summary>Rows per request; null or 0 for the model's preferred batch size.</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// The runner's spec over <paramref name="inputs"/> and <paramref name="output"/>, still relative to the data
    /// folder: the job database keeps it so, and each run resolves (and checks) the paths again with
    /// <see cref="DataFolder.ResolveSpec"/>.
    /// </summary>
    public Jobs.BatchJobSpec ToSpec(IReadOnlyList<string> inputs, string output)
    {
        var defaults = new Jobs.BatchJobSpec { Model = Model, Inputs = inputs, Output = output };
        return defaults with
        {
            Version = Version,
            InputFormat = InputFormat,
            OutputFormat = OutputFormat,
            IdColumn = IdColumn,
            InputMap = InputMap,
            OutputMap = OutputMap,
            ShardRows = ShardRows ?? defaults.ShardRows,
            MaxErrors = MaxErrors,
            BatchSize = BatchSize ?? defaults.BatchSize,
        };
    }
}

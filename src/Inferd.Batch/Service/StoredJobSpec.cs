using System.Text.Json;
using Inferd.Batch.Jobs;

namespace Inferd.Batch.Service;

/// <summary>
/// A job's spec as the database keeps it: paths relative to the data folder, so each run resolves (and checks)
/// them again, and the database stays valid when the data folder is mounted elsewhere.
/// </summary>
internal sealed record StoredJobSpec
{
    public required string Model { get; init; }

    public string? Version { get; init; }

    public required IReadOnlyList<string> Inputs { get; init; }

    public required string Output { get; init; }

    public string? InputFormat { get; init; }

    public string? OutputFormat { get; init; }

    public string? IdColumn { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> InputMap { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyDictionary<string, string> OutputMap { get; init; } = new Dictionary<string, string>();

    public int? ShardRows { get; init; }

    public long? MaxErrors { get; init; }

    public int? BatchSize { get; init; }

    /// <summary>The spec of <paramref name="request"/> over its one input.</summary>
    public static StoredJobSpec From(JobRequest request, IReadOnlyList<string> inputs, string output) => new()
    {
        Model = request.Model,
        Version = request.Version,
        Inputs = inputs,
        Output = output,
        InputFormat = request.InputFormat,
        OutputFormat = request.OutputFormat,
        IdColumn = request.IdColumn,
        InputMap = request.InputMap,
        OutputMap = request.OutputMap,
        ShardRows = request.ShardRows,
        MaxErrors = request.MaxErrors,
        BatchSize = request.BatchSize,
    };

    /// <summary>The runner's spec, with paths resolved (and checked again) under <paramref name="folder"/>.</summary>
    /// <exception cref="BatchJobException">A path no longer resolves inside the folder.</exception>
    public BatchJobSpec ToBatchJobSpec(DataFolder folder)
    {
        var defaults = new BatchJobSpec { Model = Model, Inputs = [], Output = "" };
        return new BatchJobSpec
        {
            Model = Model,
            Version = Version,
            Inputs = Inputs.Select(i => folder.Resolve(i).FullPath).ToArray(),
            Output = folder.Resolve(Output).FullPath,
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

    public string ToJson() => JsonSerializer.Serialize(this, ServiceJsonContext.Default.StoredJobSpec);

    public static StoredJobSpec FromJson(string json) =>
        JsonSerializer.Deserialize(json, ServiceJsonContext.Default.StoredJobSpec)
        ?? throw new InvalidDataException("a stored job spec is null");
}

using Inferd.Batch.Data;
using Inferd.Batch.Jobs;

namespace Inferd.Batch.Service;

/// <summary>Checks of a <see cref="JobRequest"/>'s fields that need neither the model nor the file system.</summary>
internal static class JobValidation
{
    /// <summary>Largest shard accepted: a shard is held in memory while it is scored.</summary>
    public const int MaxShardRows = 10_000_000;

    /// <exception cref="BatchJobException">A field is missing or out of range.</exception>
    public static void CheckFields(JobRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw new BatchJobException("'model' is required");
        }

        CheckFormat("input_format", request.InputFormat);
        CheckFormat("output_format", request.OutputFormat);
        if (request.IdColumn is { Length: 0 })
        {
            throw new BatchJobException("'id_column' is empty; leave it out to key rows by file and row number");
        }

        if (request.ShardRows is < 1 or > MaxShardRows)
        {
            throw new BatchJobException($"'shard_rows' must be between 1 and {MaxShardRows}");
        }

        if (request.MaxErrors is < 0)
        {
            throw new BatchJobException("'max_errors' must not be negative");
        }

        if (request.BatchSize is < 0)
        {
            throw new BatchJobException("'batch_size' must not be negative");
        }

        foreach (var (input, columns) in request.InputMap)
        {
            if (input.Length == 0 || columns.Count == 0 || columns.Any(string.IsNullOrEmpty))
            {
                throw new BatchJobException($"'input_map' entry '{input}' must name a model input and at least one column");
            }
        }

        foreach (var (output, column) in request.OutputMap)
        {
            if (output.Length == 0 || string.IsNullOrEmpty(column))
            {
                throw new BatchJobException($"'output_map' entry '{output}' must name a model output and a column");
            }
        }
    }

    private static void CheckFormat(string field, string? name)
    {
        if (name is not null && BatchFormats.ByName(name) is null)
        {
            throw new BatchJobException($"'{field}' '{name}' is not a format; use one of {string.Join(", ", BatchFormats.All.Select(f => f.Name))}");
        }
    }
}

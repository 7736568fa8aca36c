using System.Globalization;
using Inferd.Batch.Data;

namespace Inferd.Batch.Jobs;

/// <summary>
/// Where a job's files go. A folder output holds <c>part-NNNNN.ext</c> and <c>errors-NNNNN.jsonl</c> files plus
/// <c>_inferd/manifest*.jsonl</c>; a single-file output (<c>out.csv</c>) keeps its parts in <c>out.csv.inferd/</c>
/// until the job completes, then merges them into <c>out.csv</c> and the bad rows into <c>out.errors.jsonl</c>.
/// </summary>
internal sealed class OutputLayout
{
    private OutputLayout(string output, BatchFormat format, bool singleFile, int shardIndex, int shardCount)
    {
        Output = output;
        Format = format;
        SingleFile = singleFile;
        PartsFolder = singleFile ? output + ".inferd" : output;
        var suffix = shardCount > 1 ? $"-{shardIndex}-of-{shardCount}" : "";
        ManifestPath = singleFile ? Path.Combine(PartsFolder, "manifest.jsonl") : Path.Combine(output, "_inferd", $"manifest{suffix}.jsonl");
        ErrorsFile = singleFile ? Path.Combine(Path.GetDirectoryName(output)!, Path.GetFileNameWithoutExtension(output) + ".errors.jsonl") : null;
    }

    /// <summary>The output path as given (full).</summary>
    public string Output { get; }

    /// <summary>Output format.</summary>
    public BatchFormat Format { get; }

    /// <summary>Whether the parts are merged into one file at the end.</summary>
    public bool SingleFile { get; }

    /// <summary>Folder holding the part files.</summary>
    public string PartsFolder { get; }

    /// <summary>This worker's manifest.</summary>
    public string ManifestPath { get; }

    /// <summary>The merged error file of a single-file output.</summary>
    public string? ErrorsFile { get; }

    public static OutputLayout Create(BatchJobSpec spec, IReadOnlyList<InputFile> inputs)
    {
        var output = Path.GetFullPath(spec.Output);
        var byExtension = BatchFormats.ByExtension(output);
        var format = spec.OutputFormat is not null
            ? BatchFormats.ByName(spec.OutputFormat) ?? throw new BatchJobException($"unknown output format '{spec.OutputFormat}'")
            : byExtension ?? (inputs[0].Format.CanWrite ? inputs[0].Format : BatchFormats.ByName("csv")!);
        if (!format.CanWrite)
        {
            throw new BatchJobException($"the {format.Name} format cannot be written; choose csv, jsonl or parquet");
        }

        var singleFile = byExtension is not null && !Directory.Exists(output);
        if (singleFile && spec.ShardCount > 1)
        {
            throw new BatchJobException("with --shard-count above 1 each worker writes parts into a shared folder: give --output a folder, not a file");
        }

        foreach (var input in inputs)
        {
            if (output == input.Path || output.StartsWith(input.Path + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new BatchJobException($"the output '{spec.Output}' is inside the input '{input.Name}'");
            }
        }

        return new OutputLayout(output, format, singleFile, spec.ShardIndex, spec.ShardCount);
    }

    /// <summary>Output part of shard <paramref name="shard"/>.</summary>
    public string PartName(long shard) => "part-" + shard.ToString("D5", CultureInfo.InvariantCulture) + Format.Extensions[0];

    /// <summary>Error part of shard <paramref name="shard"/>.</summary>
    public static string ErrorPartName(long shard) => "errors-" + shard.ToString("D5", CultureInfo.InvariantCulture) + ".jsonl";

    /// <summary>Full path of a part file.</summary>
    public string PathOf(string name) => Path.Combine(PartsFolder, name);

    /// <summary>The temporary name a part is written under before its rename. One worker owns each shard, so the name is fixed.</summary>
    public string TempPathOf(string name) => Path.Combine(PartsFolder, "." + name + ".tmp");
}

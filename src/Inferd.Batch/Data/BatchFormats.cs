using Inferd.Batch.Formats.Csv;
using Inferd.Batch.Formats.Files;
using Inferd.Batch.Formats.Jsonl;
using Inferd.Batch.Formats.Parquet;

namespace Inferd.Batch.Data;

/// <summary>The formats a batch job reads and writes.</summary>
public static class BatchFormats
{
    /// <summary>Every format, tabular ones first.</summary>
    public static IReadOnlyList<BatchFormat> All { get; } =
    [
        CsvFormat.Instance,
        JsonlFormat.Instance,
        ParquetFormat.Instance,
        FolderFormat.Instance,
    ];

    /// <summary>The format named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static BatchFormat? ByName(string name) =>
        All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The format whose extension <paramref name="path"/> has, or null.</summary>
    public static BatchFormat? ByExtension(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension.Length == 0 ? null : All.FirstOrDefault(f => f.Extensions.Contains(extension));
    }
}

using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Jsonl;

/// <summary>JSON Lines: one JSON object per line, UTF-8.</summary>
public sealed class JsonlFormat : BatchFormat
{
    private JsonlFormat()
    {
    }

    /// <summary>The one instance.</summary>
    public static JsonlFormat Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "jsonl";

    /// <inheritdoc />
    public override IReadOnlyList<string> Extensions { get; } = [".jsonl", ".ndjson"];

    /// <inheritdoc />
    public override RecordReader OpenReader(string path) => new JsonlRecordReader(path);

    /// <inheritdoc />
    public override RecordWriter CreateWriter(Stream stream, IReadOnlyList<OutputColumn> columns) => new JsonlRecordWriter(stream, columns);

    /// <inheritdoc />
    public override async Task MergeAsync(IReadOnlyList<string> parts, Stream destination, CancellationToken cancellationToken)
    {
        // No header and no footer: the merged file is the parts one after another.
        foreach (var path in parts)
        {
            await using var part = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            await part.CopyToAsync(destination, 1 << 16, cancellationToken).ConfigureAwait(false);
        }
    }
}

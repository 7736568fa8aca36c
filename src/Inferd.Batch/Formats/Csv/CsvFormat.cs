using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Csv;

/// <summary>
/// RFC 4180 CSV with a header row, UTF-8, comma-separated, <c>"</c> quoting. Fields are text; the converter parses
/// numbers from them without allocating.
/// </summary>
public sealed class CsvFormat : BatchFormat
{
    private CsvFormat()
    {
    }

    /// <summary>The one instance.</summary>
    public static CsvFormat Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "csv";

    /// <inheritdoc />
    public override IReadOnlyList<string> Extensions { get; } = [".csv"];

    /// <inheritdoc />
    public override RecordReader OpenReader(string path) => new CsvRecordReader(path);

    /// <inheritdoc />
    public override RecordWriter CreateWriter(Stream stream, IReadOnlyList<OutputColumn> columns) => new CsvRecordWriter(stream, columns);

    /// <inheritdoc />
    public override async Task MergeAsync(IReadOnlyList<string> parts, Stream destination, CancellationToken cancellationToken)
    {
        // Each part starts with the same header line: keep the first one, then copy every part's body byte for byte.
        for (var i = 0; i < parts.Count; i++)
        {
            await using var part = new FileStream(parts[i], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            if (i > 0)
            {
                SkipLine(part);
            }

            await part.CopyToAsync(destination, 1 << 16, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void SkipLine(Stream stream)
    {
        // The header is written by CsvRecordWriter: it ends at the first '\n' (column names never hold a newline).
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
        }
    }
}

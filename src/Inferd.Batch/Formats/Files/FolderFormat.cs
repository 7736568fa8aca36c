using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Files;

/// <summary>
/// A folder of files as input, one row per file: column <c>file</c> is the path relative to the folder (with '/'),
/// column <c>content</c> the file's bytes. Files are found recursively, hidden ones (and hidden folders) left out, and
/// ordered by relative path, ordinal. Input only.
/// </summary>
public sealed class FolderFormat : BatchFormat
{
    private FolderFormat()
    {
    }

    /// <summary>The one instance.</summary>
    public static FolderFormat Instance { get; } = new();

    /// <inheritdoc />
    public override string Name => "files";

    /// <inheritdoc />
    public override IReadOnlyList<string> Extensions { get; } = [];

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    /// <exception cref="InvalidDataException"><paramref name="path"/> is a file, not a folder.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="path"/> does not exist.</exception>
    public override RecordReader OpenReader(string path) => new FolderRecordReader(path);

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: the format is input only.</exception>
    public override RecordWriter CreateWriter(Stream stream, IReadOnlyList<OutputColumn> columns) =>
        throw new NotSupportedException("the files format is input only; write csv, jsonl or parquet");

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">Always: the format is input only.</exception>
    public override Task MergeAsync(IReadOnlyList<string> parts, Stream destination, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the files format is input only; write csv, jsonl or parquet");
}

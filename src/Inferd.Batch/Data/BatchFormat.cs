namespace Inferd.Batch.Data;

/// <summary>
/// A file format for batch input and output. One instance per format; see <see cref="BatchFormats"/>.
/// </summary>
public abstract class BatchFormat
{
    /// <summary>Format name used on the command line (<c>csv</c>, <c>jsonl</c>, <c>parquet</c>, <c>files</c>).</summary>
    public abstract string Name { get; }

    /// <summary>File extensions with the dot, lower case (<c>.csv</c>).</summary>
    public abstract IReadOnlyList<string> Extensions { get; }

    /// <summary>Whether the format can be written (the folder-of-files format is input only).</summary>
    public virtual bool CanWrite => true;

    /// <summary>Opens a reader over a file (or, for the folder format, a folder).</summary>
    /// <exception cref="InvalidDataException">The file is not in this format (bad header, bad magic).</exception>
    public abstract RecordReader OpenReader(string path);

    /// <summary>Creates a writer that writes <paramref name="columns"/> to <paramref name="stream"/>, starting with any header.</summary>
    public abstract RecordWriter CreateWriter(Stream stream, IReadOnlyList<OutputColumn> columns);

    /// <summary>
    /// Writes the rows of <paramref name="parts"/> (files this format wrote with the same columns), in order, to
    /// <paramref name="destination"/> as one file: one header, one footer.
    /// </summary>
    public abstract Task MergeAsync(IReadOnlyList<string> parts, Stream destination, CancellationToken cancellationToken);
}

namespace Inferd.Batch.Data;

/// <summary>
/// Reads the rows of one input file (or one folder of files) forward only. Rows are numbered from 1 in the order
/// read; the order is deterministic, because shards are cut from it and a resumed job must cut the same shards.
/// </summary>
public abstract class RecordReader : IDisposable
{
    /// <summary>Column names, known after construction (a CSV header, a Parquet schema, the keys of the first JSON line).</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>Number of the current row, from 1.</summary>
    public long RowNumber { get; protected set; }

    /// <summary>
    /// Why the current row cannot be used (a JSON line that is not an object, a CSV row with an unclosed quote), or
    /// null when it is well formed. A row with an error is still returned, so it goes to the error file with its key.
    /// </summary>
    public string? RowError { get; protected set; }

    /// <summary>
    /// A key for the current row when rows are files (a folder input): the file's path relative to the folder.
    /// Null for tabular inputs, whose key is the input file and <see cref="RowNumber"/>.
    /// </summary>
    public virtual string? RowKey => null;

    /// <summary>Bytes of the input consumed so far, for progress and ETA.</summary>
    public abstract long BytesRead { get; }

    /// <summary>Advances to the next row; false at the end.</summary>
    /// <exception cref="InvalidDataException">The file as a whole cannot be read any further (not a Parquet file, say).</exception>
    public abstract bool Read();

    /// <summary>
    /// Advances past a row that will not be converted (its shard is already committed or belongs to another worker).
    /// Readers override it when they can skip cheaper than <see cref="Read"/>.
    /// </summary>
    public virtual bool Skip() => Read();

    /// <summary>The current row's value of column <paramref name="column"/> (an index into <see cref="Columns"/>).</summary>
    public abstract Cell GetCell(int column);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the file.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

namespace Inferd.Batch.Data;

/// <summary>
/// Writes rows of a fixed column list to a stream. Each row is <see cref="BeginRow"/>, then for each column in order
/// exactly <see cref="OutputColumn.Width"/> values (a Write call each; <see cref="WriteNull"/> for a missing one),
/// then <see cref="EndRow"/>. <see cref="CompleteAsync"/> writes what is buffered (a Parquet row group, a footer) and
/// flushes; it does not close or sync the stream, which the caller owns.
/// </summary>
public abstract class RecordWriter : IDisposable
{
    /// <summary>Starts a row.</summary>
    public abstract void BeginRow();

    /// <summary>Writes a text value.</summary>
    public abstract void WriteText(ReadOnlySpan<char> value);

    /// <summary>Writes an integer value.</summary>
    public abstract void WriteInteger(long value);

    /// <summary>Writes a 32-bit float value (shortest round-trip text where the format is text).</summary>
    public abstract void WriteFloat(float value);

    /// <summary>Writes a 64-bit float value.</summary>
    public abstract void WriteDouble(double value);

    /// <summary>Writes a boolean value.</summary>
    public abstract void WriteBoolean(bool value);

    /// <summary>Writes a null.</summary>
    public abstract void WriteNull();

    /// <summary>Ends a row.</summary>
    public abstract void EndRow();

    /// <summary>Writes everything buffered and flushes the stream.</summary>
    public abstract Task CompleteAsync(CancellationToken cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases buffers; the stream stays open.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

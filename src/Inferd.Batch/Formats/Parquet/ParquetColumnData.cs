using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>One column of the row group being read; makes the cell of a row on demand.</summary>
internal abstract class ParquetColumnData : IDisposable
{
    /// <summary>The cell of row <paramref name="row"/> (an index into the row group). Text and bytes borrow the row group's buffers.</summary>
    public abstract Cell GetCell(int row);

    /// <summary>Returns the row group's buffers to Parquet.Net's pool.</summary>
    public abstract void Dispose();
}

using Inferd.Batch.Data;
using Parquet;
using Parquet.Schema;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>The values of one flat output column, held until the writer writes its one row group.</summary>
internal abstract class ParquetColumnBuffer(DataField field, OutputKind kind)
{
    /// <summary>Initial capacity: a shard is about 10,000 rows, so a few doublings at most.</summary>
    protected const int InitialCapacity = 1024;

    /// <summary>The nullable Parquet field of this column.</summary>
    public DataField Field { get; } = field;

    /// <summary>The kind the output column declared.</summary>
    public OutputKind Kind { get; } = kind;

    /// <summary>A buffer for a flat column named <paramref name="name"/> holding <paramref name="kind"/> values.</summary>
    public static ParquetColumnBuffer Create(string name, OutputKind kind) => kind switch
    {
        OutputKind.Text => new ParquetTextBuffer(new DataField<string>(name, nullable: true)),
        OutputKind.Integer => new ParquetValueBuffer<long>(new DataField<long?>(name), kind),
        OutputKind.Float => new ParquetValueBuffer<float>(new DataField<float?>(name), kind),
        OutputKind.Double => new ParquetValueBuffer<double>(new DataField<double?>(name), kind),
        OutputKind.Boolean => new ParquetValueBuffer<bool>(new DataField<bool?>(name), kind),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown output kind"),
    };

    /// <summary>Adds a null.</summary>
    public abstract void AddNull();

    /// <summary>Writes the buffered values as this column of <paramref name="rowGroup"/>.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken);
}

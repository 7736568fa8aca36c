using Inferd.Batch.Data;
using Parquet;
using Parquet.Schema;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>Buffers a column of nullable numbers or booleans in one growing array.</summary>
internal sealed class ParquetValueBuffer<T>(DataField field, OutputKind kind) : ParquetColumnBuffer(field, kind)
    where T : struct
{
    private T?[] _values = new T?[InitialCapacity];
    private int _count;

    public void Add(T? value)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        _values[_count++] = value;
    }

    public override void AddNull() => Add(null);

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken) =>
        rowGroup.WriteAsync<T>(Field, _values.AsMemory(0, _count), cancellationToken: cancellationToken);
}

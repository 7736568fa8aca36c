using Inferd.Batch.Data;
using Parquet;
using Parquet.Schema;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>
/// Buffers a text column as one growing character array plus a start and length per value, so a row's text costs no
/// string; the values become slices of that array when the row group is written.
/// </summary>
internal sealed class ParquetTextBuffer(DataField field) : ParquetColumnBuffer(field, OutputKind.Text)
{
    private char[] _chars = new char[InitialCapacity * 16];
    private int _used;
    private int[] _starts = new int[InitialCapacity];
    private int[] _lengths = new int[InitialCapacity];
    private int _count;

    public void Add(ReadOnlySpan<char> text)
    {
        if (_used + text.Length > _chars.Length)
        {
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _used + text.Length));
        }

        text.CopyTo(_chars.AsSpan(_used));
        Append(_used, text.Length);
        _used += text.Length;
    }

    /// <summary>A null is a length of -1: an empty string is a value.</summary>
    public override void AddNull() => Append(0, -1);

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken cancellationToken)
    {
        // Left at null for a null value: "cond ? null : memory" would type as ReadOnlyMemory<char>, making null empty.
        var values = new ReadOnlyMemory<char>?[_count];
        for (var i = 0; i < _count; i++)
        {
            if (_lengths[i] >= 0)
            {
                values[i] = _chars.AsMemory(_starts[i], _lengths[i]);
            }
        }

        return rowGroup.WriteAsync<ReadOnlyMemory<char>>(Field, values, cancellationToken: cancellationToken);
    }

    private void Append(int start, int length)
    {
        if (_count == _starts.Length)
        {
            Array.Resize(ref _starts, _starts.Length * 2);
            Array.Resize(ref _lengths, _lengths.Length * 2);
        }

        _starts[_count] = start;
        _lengths[_count] = length;
        _count++;
    }
}

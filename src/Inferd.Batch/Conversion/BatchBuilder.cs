using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Data;

namespace Inferd.Batch.Conversion;

/// <summary>
/// Gathers up to <see cref="Capacity"/> converted rows into one request's input tensors, in pooled buffers. A row
/// either converts completely or leaves nothing behind (its partial values are rolled back), so a bad field never
/// shifts the rows after it. <see cref="Dispose"/> returns the buffers; call it once the request is answered.
/// </summary>
internal sealed class BatchBuilder : IDisposable
{
    private readonly InputPlan[] _plans;
    private readonly bool _leadingBatchDim;
    private readonly byte[][] _buffers;
    private readonly int[] _used;
    private readonly int[][] _rowStarts;

    public BatchBuilder(InputPlan[] plans, int capacity, bool leadingBatchDim)
    {
        _plans = plans;
        Capacity = capacity;
        _leadingBatchDim = leadingBatchDim;
        _buffers = new byte[plans.Length][];
        _used = new int[plans.Length];
        _rowStarts = new int[plans.Length][];
        for (var i = 0; i < plans.Length; i++)
        {
            var plan = plans[i];
            var size = plan.DataType == DataType.Bytes ? 256 * capacity : plan.ElementsPerRow * plan.DataType.ElementSize() * capacity;
            _buffers[i] = ArrayPool<byte>.Shared.Rent(Math.Max(16, size));
            _rowStarts[i] = new int[capacity + 1];
        }

        RowNumbers = new long[capacity];
        Keys = new string?[capacity];
    }

    /// <summary>Rows the request holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Rows converted so far.</summary>
    public int Rows { get; private set; }

    /// <summary>Input row number of each converted row.</summary>
    public long[] RowNumbers { get; }

    /// <summary>Key of each converted row (the id column's value or a file's path), null when keyed by row number.</summary>
    public string?[] Keys { get; }

    public bool IsFull => Rows == Capacity;

    /// <summary>Converts the reader's current row; false (and nothing added) with the reason when a value does not fit.</summary>
    public bool TryAdd(RecordReader reader, string? key, out string? error)
    {
        for (var i = 0; i < _plans.Length; i++)
        {
            _rowStarts[i][Rows] = _used[i];
        }

        for (var i = 0; i < _plans.Length; i++)
        {
            if (!TryAddInput(i, reader, out error))
            {
                for (var j = 0; j < _plans.Length; j++)
                {
                    _used[j] = _rowStarts[j][Rows];
                }

                return false;
            }
        }

        RowNumbers[Rows] = reader.RowNumber;
        Keys[Rows] = key;
        Rows++;
        for (var i = 0; i < _plans.Length; i++)
        {
            _rowStarts[i][Rows] = _used[i];
        }

        error = null;
        return true;
    }

    /// <summary>The request's input tensors over all rows.</summary>
    public IReadOnlyList<InferenceTensor> Tensors() => Slice(0, Rows);

    /// <summary>Input tensors holding rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/>.</summary>
    public IReadOnlyList<InferenceTensor> Slice(int first, int count)
    {
        var tensors = new InferenceTensor[_plans.Length];
        for (var i = 0; i < _plans.Length; i++)
        {
            var plan = _plans[i];
            var start = _rowStarts[i][first];
            var end = _rowStarts[i][first + count];
            long[] shape = _leadingBatchDim ? [count, .. plan.RowShape] : plan.RowShape;
            tensors[i] = new InferenceTensor(plan.Name, plan.DataType, shape, _buffers[i].AsMemory(start, end - start));
        }

        return tensors;
    }

    public void Dispose()
    {
        for (var i = 0; i < _buffers.Length; i++)
        {
            if (_buffers[i].Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffers[i]);
                _buffers[i] = [];
            }
        }
    }

    private bool TryAddInput(int index, RecordReader reader, out string? error)
    {
        var plan = _plans[index];
        if (plan.DataType == DataType.Bytes)
        {
            return TryAddBytes(index, reader, out error);
        }

        var size = plan.DataType.ElementSize();
        if (plan.Columns.Length > 1)
        {
            for (var c = 0; c < plan.Columns.Length; c++)
            {
                if (!CellParser.TryWrite(reader.GetCell(plan.Columns[c]), plan.DataType, Take(index, size), out error))
                {
                    error = $"column '{plan.ColumnNames[c]}': {error}";
                    return false;
                }
            }

            error = null;
            return true;
        }

        var cell = reader.GetCell(plan.Columns[0]);
        if (cell.Kind is CellKind.Missing or CellKind.Null)
        {
            error = $"column '{plan.ColumnNames[0]}': {(cell.Kind == CellKind.Missing ? "missing" : "empty")}";
            return false;
        }

        if (cell.Kind == CellKind.Bytes && plan.Image is { } image)
        {
            var destination = Take(index, plan.ElementsPerRow * size);
            var ok = plan.DataType == DataType.UInt8
                ? ImageDecoder.TryDecode(cell.Bytes.Span, image.Channels, image.Height, image.Width, image.ChannelsFirst, destination, out error)
                : ImageDecoder.TryDecode(cell.Bytes.Span, image.Channels, image.Height, image.Width, image.ChannelsFirst, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(destination), out error);
            error = ok ? null : $"column '{plan.ColumnNames[0]}': {error}";
            return ok;
        }

        if (cell.Kind == CellKind.List)
        {
            var written = 0;
            if (!TryWriteList(index, cell.List!, plan, ref written, out error) || written != plan.ElementsPerRow)
            {
                error ??= $"column '{plan.ColumnNames[0]}' holds {written} values; input '{plan.Name}' takes {plan.ElementsPerRow}";
                return false;
            }

            return true;
        }

        if (plan.ElementsPerRow != 1)
        {
            error = $"column '{plan.ColumnNames[0]}' holds one value; input '{plan.Name}' takes {plan.ElementsPerRow} (give a list)";
            return false;
        }

        if (!CellParser.TryWrite(cell, plan.DataType, Take(index, size), out error))
        {
            error = $"column '{plan.ColumnNames[0]}': {error}";
            return false;
        }

        return true;
    }

    private bool TryWriteList(int index, IReadOnlyList<Cell> list, InputPlan plan, ref int written, out string? error)
    {
        // Nested lists (a JSON [[..],[..]] for a 2-D input) are taken in row-major order.
        var size = plan.DataType.ElementSize();
        foreach (var item in list)
        {
            if (item.Kind == CellKind.List)
            {
                if (!TryWriteList(index, item.List!, plan, ref written, out error))
                {
                    return false;
                }

                continue;
            }

            if (++written > plan.ElementsPerRow)
            {
                error = $"column '{plan.ColumnNames[0]}' holds more than the {plan.ElementsPerRow} values input '{plan.Name}' takes";
                return false;
            }

            if (!CellParser.TryWrite(item, plan.DataType, Take(index, size), out error))
            {
                error = $"column '{plan.ColumnNames[0]}' item {written}: {error}";
                return false;
            }
        }

        error = null;
        return true;
    }

    private bool TryAddBytes(int index, RecordReader reader, out string? error)
    {
        var plan = _plans[index];
        var count = 0;
        for (var c = 0; c < plan.Columns.Length; c++)
        {
            var cell = reader.GetCell(plan.Columns[c]);
            switch (cell.Kind)
            {
                case CellKind.List when plan.Columns.Length == 1:
                    foreach (var item in cell.List!)
                    {
                        AppendElement(index, item);
                        count++;
                    }

                    break;
                case CellKind.Missing or CellKind.Null:
                    error = $"column '{plan.ColumnNames[c]}' is {(cell.Kind == CellKind.Missing ? "missing" : "empty")}";
                    return false;
                default:
                    AppendElement(index, cell);
                    count++;
                    break;
            }
        }

        if (count != plan.ElementsPerRow)
        {
            error = $"input '{plan.Name}' takes {plan.ElementsPerRow} strings per row, the row gives {count}";
            return false;
        }

        error = null;
        return true;
    }

    private void AppendElement(int index, Cell cell)
    {
        if (cell.Kind == CellKind.Bytes)
        {
            var data = cell.Bytes.Span;
            BinaryPrimitives.WriteInt32LittleEndian(Take(index, 4), data.Length);
            data.CopyTo(Take(index, data.Length));
            return;
        }

        var text = cell.Kind == CellKind.Text ? cell.Text.Span : cell.ToString().AsSpan();
        var length = Encoding.UTF8.GetByteCount(text);
        BinaryPrimitives.WriteInt32LittleEndian(Take(index, 4), length);
        Encoding.UTF8.GetBytes(text, Take(index, length));
    }

    private Span<byte> Take(int index, int bytes)
    {
        var buffer = _buffers[index];
        if (_used[index] + bytes > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, _used[index] + bytes));
            buffer.AsSpan(0, _used[index]).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            _buffers[index] = buffer = larger;
        }

        var span = buffer.AsSpan(_used[index], bytes);
        _used[index] += bytes;
        return span;
    }
}

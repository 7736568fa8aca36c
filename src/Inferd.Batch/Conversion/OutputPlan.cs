using System.Buffers.Binary;
using System.Text;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Data;
using Inferd.Batch.Jobs;
using Inferd.Batch.Scoring;

namespace Inferd.Batch.Conversion;

/// <summary>
/// The output file's columns: the row's key, then each selected model output (one column, or a vector column when
/// the output has several values per row), and how to write a row of a response into them.
/// </summary>
internal sealed class OutputPlan
{
    private readonly string[] _outputs;
    private readonly DataType[] _types;
    private readonly KeyKind _key;

    private OutputPlan(KeyKind key, string keyName, string[] outputs, DataType[] types, string[] columnNames, int[] widths)
    {
        _key = key;
        _outputs = outputs;
        _types = types;
        var columns = new List<OutputColumn>();
        switch (key)
        {
            case KeyKind.Id:
                columns.Add(new OutputColumn(keyName, OutputKind.Text));
                break;
            case KeyKind.File:
                columns.Add(new OutputColumn("file", OutputKind.Text));
                break;
            default:
                columns.Add(new OutputColumn("file", OutputKind.Text));
                columns.Add(new OutputColumn("row", OutputKind.Integer));
                break;
        }

        for (var i = 0; i < outputs.Length; i++)
        {
            columns.Add(new OutputColumn(columnNames[i], KindOf(types[i]), widths[i]));
        }

        Columns = columns;
    }

    private enum KeyKind
    {
        FileAndRow,
        File,
        Id,
    }

    /// <summary>The output file's columns.</summary>
    public IReadOnlyList<OutputColumn> Columns { get; }

    public static OutputPlan Create(ScoringModel model, BatchJobSpec spec, bool rowsAreFiles)
    {
        foreach (var name in spec.OutputMap.Keys)
        {
            if (!model.Outputs.Any(o => o.Name == name))
            {
                throw new BatchJobException($"--output-map names '{name}', which is not an output of model '{model.Name}' (outputs: {string.Join(", ", model.Outputs.Select(o => o.Name))})");
            }
        }

        var selected = spec.OutputMap.Count > 0 ? model.Outputs.Where(o => spec.OutputMap.ContainsKey(o.Name)).ToArray() : model.Outputs.ToArray();
        var widths = new int[selected.Length];
        for (var i = 0; i < selected.Length; i++)
        {
            var shape = selected[i].Shape;
            var rowShape = model.MaxBatchSize > 0 || (shape.Length > 0 && shape[0] == -1) ? shape[1..] : shape;
            var width = 1L;
            foreach (var d in rowShape)
            {
                width *= d;
            }

            if (rowShape.Any(d => d < 0))
            {
                throw new BatchJobException($"output '{selected[i].Name}' has a variable shape per row ({TensorShape.Format(shape)}); batch output needs a fixed number of values per row (select other outputs with --output-map)");
            }

            widths[i] = (int)width;
        }

        var key = spec.IdColumn is not null ? KeyKind.Id : rowsAreFiles ? KeyKind.File : KeyKind.FileAndRow;
        var names = selected.Select(o => spec.OutputMap.TryGetValue(o.Name, out var column) ? column : o.Name).ToArray();
        var keyNames = key switch { KeyKind.Id => [spec.IdColumn!], KeyKind.File => ["file"], _ => new[] { "file", "row" } };
        var clash = names.FirstOrDefault(n => keyNames.Contains(n));
        if (clash is not null)
        {
            throw new BatchJobException($"output column '{clash}' has the name of a key column; rename it with --output-map");
        }

        return new OutputPlan(key, spec.IdColumn ?? "", selected.Select(o => o.Name).ToArray(), selected.Select(o => o.DataType).ToArray(), names, widths);
    }

    /// <summary>Finds this plan's outputs in a response, in column order.</summary>
    /// <exception cref="BatchScoringException">An output is missing or has the wrong number of values.</exception>
    public InferenceTensor[] Select(IReadOnlyList<InferenceTensor> outputs, int rows)
    {
        var selected = new InferenceTensor[_outputs.Length];
        for (var i = 0; i < _outputs.Length; i++)
        {
            InferenceTensor? found = null;
            foreach (var o in outputs)
            {
                if (o.Name == _outputs[i])
                {
                    found = o;
                    break;
                }
            }

            var width = Columns[Columns.Count - _outputs.Length + i].Width;
            if (found is null || found.ElementCount != (long)width * rows || found.DataType != _types[i])
            {
                throw new BatchScoringException($"the response's output '{_outputs[i]}' is missing or does not hold {width} {_types[i].ToWireName()} values per row", retryable: false, rowsAtFault: false);
            }

            selected[i] = found;
        }

        return selected;
    }

    /// <summary>Writes one output row: the key, then row <paramref name="row"/> of each selected output.</summary>
    public void WriteRow(RecordWriter writer, string file, long rowNumber, string? key, InferenceTensor[] outputs, int row, int[]?[] bytesOffsets)
    {
        writer.BeginRow();
        switch (_key)
        {
            case KeyKind.Id:
                writer.WriteText(key);
                break;
            case KeyKind.File:
                writer.WriteText(key ?? file);
                break;
            default:
                writer.WriteText(file);
                writer.WriteInteger(rowNumber);
                break;
        }

        var first = Columns.Count - outputs.Length;
        for (var i = 0; i < outputs.Length; i++)
        {
            var width = Columns[first + i].Width;
            WriteValues(writer, outputs[i], row * width, width, bytesOffsets[i]);
        }

        writer.EndRow();
    }

    /// <summary>For BYTES outputs, the start of each element; null for the others.</summary>
    public static int[]?[] BytesOffsets(InferenceTensor[] outputs)
    {
        var offsets = new int[]?[outputs.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            if (outputs[i].DataType != DataType.Bytes)
            {
                continue;
            }

            var data = outputs[i].Data.Span;
            var starts = new int[outputs[i].ElementCount];
            var position = 0;
            for (var e = 0; e < starts.Length; e++)
            {
                starts[e] = position;
                position += 4 + BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            }

            offsets[i] = starts;
        }

        return offsets;
    }

    private static void WriteValues(RecordWriter writer, InferenceTensor tensor, int first, int count, int[]? bytesOffsets)
    {
        var data = tensor.Data.Span;
        var size = tensor.DataType == DataType.Bytes ? 0 : tensor.DataType.ElementSize();
        for (var e = first; e < first + count; e++)
        {
            var at = data[(e * size)..];
            switch (tensor.DataType)
            {
                case DataType.Fp32: writer.WriteFloat(BinaryPrimitives.ReadSingleLittleEndian(at)); break;
                case DataType.Fp64: writer.WriteDouble(BinaryPrimitives.ReadDoubleLittleEndian(at)); break;
                case DataType.Fp16: writer.WriteFloat((float)BinaryPrimitives.ReadHalfLittleEndian(at)); break;
                case DataType.Bf16: writer.WriteFloat(BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(at) << 16)); break;
                case DataType.Bool: writer.WriteBoolean(at[0] != 0); break;
                case DataType.UInt8: writer.WriteInteger(at[0]); break;
                case DataType.Int8: writer.WriteInteger((sbyte)at[0]); break;
                case DataType.UInt16: writer.WriteInteger(BinaryPrimitives.ReadUInt16LittleEndian(at)); break;
                case DataType.Int16: writer.WriteInteger(BinaryPrimitives.ReadInt16LittleEndian(at)); break;
                case DataType.UInt32: writer.WriteInteger(BinaryPrimitives.ReadUInt32LittleEndian(at)); break;
                case DataType.Int32: writer.WriteInteger(BinaryPrimitives.ReadInt32LittleEndian(at)); break;
                case DataType.UInt64: writer.WriteInteger((long)BinaryPrimitives.ReadUInt64LittleEndian(at)); break;
                case DataType.Int64: writer.WriteInteger(BinaryPrimitives.ReadInt64LittleEndian(at)); break;
                case DataType.Bytes:
                    var start = bytesOffsets![e];
                    var length = BinaryPrimitives.ReadInt32LittleEndian(data[start..]);
                    writer.WriteText(Encoding.UTF8.GetString(data.Slice(start + 4, length)));
                    break;
                default: writer.WriteNull(); break;
            }
        }
    }

    private static OutputKind KindOf(DataType type) => type switch
    {
        DataType.Fp32 or DataType.Fp16 or DataType.Bf16 => OutputKind.Float,
        DataType.Fp64 => OutputKind.Double,
        DataType.Bool => OutputKind.Boolean,
        DataType.Bytes => OutputKind.Text,
        _ => OutputKind.Integer,
    };
}

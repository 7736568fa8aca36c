using System.Buffers.Binary;
using System.Globalization;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Data;

namespace Inferd.Cli.Commands;

/// <summary>
/// Turns rows of a data file into model input tensors for <c>inferd profile</c>: one column per input, named like it
/// (a number, true/false, a string, or a JSON list for an input with several elements per row), the same values the
/// predict endpoint takes. An absent or empty number becomes NaN for a float input and an absent string "" (as
/// docs/predict.md does), so the profile's missing rates match what live traffic sends.
/// </summary>
internal static class ProfileRows
{
    /// <summary>Converts the reader's current row; false with the reason when a value does not fit its input.</summary>
    public static bool TryConvert(RecordReader reader, IReadOnlyList<ProfileInput> inputs, out ProfileRow? row, out string? error)
    {
        var values = new ProfileValues[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var flat = new List<Cell>();
            Flatten(reader.GetCell(input.Column), flat);
            if (!TryShape(input.RowDims, flat.Count, out var shape))
            {
                (row, error) = (null, $"column '{input.Signature.Name}' holds {flat.Count} values; input takes {TensorShape.Format(input.RowDims)} per row");
                return false;
            }

            if (input.Signature.DataType == DataType.Bytes)
            {
                values[i] = new ProfileValues(shape, null, flat.Select(c => c.Kind is CellKind.Missing or CellKind.Null ? "" : c.ToString()).ToArray());
                continue;
            }

            var numbers = new double[flat.Count];
            for (var j = 0; j < flat.Count; j++)
            {
                if (!TryNumber(flat[j], input.Signature.DataType, out numbers[j], out error))
                {
                    (row, error) = (null, $"column '{input.Signature.Name}': {error}");
                    return false;
                }
            }

            values[i] = new ProfileValues(shape, numbers, null);
        }

        (row, error) = (new ProfileRow(reader.RowNumber, values), null);
        return true;
    }

    /// <summary>The input tensors of <paramref name="rows"/>, which must share every input's row shape.</summary>
    public static InferenceTensor[] Tensors(IReadOnlyList<ProfileInput> inputs, IReadOnlyList<ProfileRow> rows, bool batched)
    {
        var tensors = new InferenceTensor[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var type = inputs[i].Signature.DataType;
            var rowShape = rows[0].Values[i].Shape;
            long[] shape = batched ? [rows.Count, .. rowShape] : rowShape;
            var data = type == DataType.Bytes
                ? BytesTensor.EncodeStrings(rows.SelectMany(r => r.Values[i].Strings!))
                : Encode(type, rows.SelectMany(r => r.Values[i].Numbers!).ToArray());
            tensors[i] = new InferenceTensor(inputs[i].Signature.Name, type, shape, data);
        }

        return tensors;
    }

    /// <summary>Whether two rows give every input the same shape, so they can share a request.</summary>
    public static bool SameShapes(ProfileRow a, ProfileRow b)
    {
        for (var i = 0; i < a.Values.Length; i++)
        {
            if (!a.Values[i].Shape.AsSpan().SequenceEqual(b.Values[i].Shape))
            {
                return false;
            }
        }

        return true;
    }

    private static void Flatten(Cell cell, List<Cell> into)
    {
        if (cell.Kind == CellKind.List)
        {
            foreach (var item in cell.List!)
            {
                Flatten(item, into);
            }
        }
        else
        {
            into.Add(cell);
        }
    }

    // The row's shape from its value count: known dimensions must multiply to it; one variable dimension takes the rest.
    private static bool TryShape(long[] rowDims, int count, out long[] shape)
    {
        shape = [.. rowDims];
        var variable = Array.FindAll(rowDims, d => d < 0).Length;
        var known = rowDims.Where(d => d >= 0).Aggregate(1L, (p, d) => p * d);
        if (variable == 0)
        {
            return known == count;
        }

        if (count == 1 && rowDims.All(d => d is 1 or -1))
        {
            Array.Fill(shape, 1L);
            return true;
        }

        if (variable > 1 || known == 0 || count % known != 0)
        {
            return false;
        }

        shape[Array.FindIndex(rowDims, d => d < 0)] = count / known;
        return true;
    }

    private static bool TryNumber(Cell cell, DataType type, out double value, out string? error)
    {
        error = null;
        var isFloat = type is DataType.Fp32 or DataType.Fp64 or DataType.Fp16 or DataType.Bf16;
        switch (cell.Kind)
        {
            case CellKind.Number:
                value = cell.Number;
                break;
            case CellKind.Integer or CellKind.Boolean:
                value = cell.Integer;
                break;
            case CellKind.Text when cell.Text.Span.Trim().Length > 0:
                var text = cell.Text.Span.Trim();
                if (type == DataType.Bool && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase)))
                {
                    value = text.Equals("true", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
                    break;
                }

                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    error = $"'{Clip(cell.ToString())}' is not a number";
                    return false;
                }

                break;
            case CellKind.Missing or CellKind.Null or CellKind.Text when isFloat:
                value = double.NaN;
                return true;
            default:
                value = 0;
                error = cell.Kind is CellKind.Missing or CellKind.Null or CellKind.Text ? "missing value" : $"a {cell.Kind.ToString().ToLowerInvariant()} is not a number";
                return false;
        }

        if (isFloat)
        {
            return true;
        }

        var (min, max) = Range(type);
        if (value != Math.Floor(value) || value < min || value > max)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{value} is not a whole number from {min} to {max} ({type.ToWireName()})");
            return false;
        }

        return true;
    }

    private static (double Min, double Max) Range(DataType type) => type switch
    {
        DataType.Bool => (0, 1),
        DataType.UInt8 => (byte.MinValue, byte.MaxValue),
        DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DataType.UInt16 => (ushort.MinValue, ushort.MaxValue),
        DataType.Int16 => (short.MinValue, short.MaxValue),
        DataType.UInt32 => (uint.MinValue, uint.MaxValue),
        DataType.Int32 => (int.MinValue, int.MaxValue),
        DataType.UInt64 => (ulong.MinValue, ulong.MaxValue),
        _ => (long.MinValue, long.MaxValue),
    };

    private static byte[] Encode(DataType type, double[] values)
    {
        var size = type.ElementSize();
        var data = new byte[values.Length * size];
        var span = data.AsSpan();
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            var at = span[(i * size)..];
            switch (type)
            {
                case DataType.Bool or DataType.UInt8: at[0] = (byte)v; break;
                case DataType.Int8: at[0] = (byte)(sbyte)v; break;
                case DataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)v); break;
                case DataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(at, (short)v); break;
                case DataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)v); break;
                case DataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(at, (int)v); break;
                case DataType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(at, (ulong)v); break;
                case DataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(at, (long)v); break;
                case DataType.Fp16: BinaryPrimitives.WriteHalfLittleEndian(at, (Half)v); break;
                case DataType.Bf16: BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)(BitConverter.SingleToUInt32Bits((float)v) >> 16)); break;
                case DataType.Fp64: BinaryPrimitives.WriteDoubleLittleEndian(at, v); break;
                default: BinaryPrimitives.WriteSingleLittleEndian(at, (float)v); break;
            }
        }

        return data;
    }

    private static string Clip(string text) => text.Length > 40 ? text[..37] + "..." : text;
}

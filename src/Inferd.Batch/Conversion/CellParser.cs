using System.Buffers.Binary;
using System.Globalization;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Data;

namespace Inferd.Batch.Conversion;

/// <summary>Writes one cell as one tensor element of a numeric or BOOL type, parsing text without allocating.</summary>
internal static class CellParser
{
    /// <summary>Writes <paramref name="cell"/> into <paramref name="destination"/> (one element); false with a reason otherwise.</summary>
    public static bool TryWrite(Cell cell, DataType type, Span<byte> destination, out string? error)
    {
        error = null;
        switch (cell.Kind)
        {
            case CellKind.Missing:
                error = "missing";
                return false;
            case CellKind.Null:
                error = "empty";
                return false;
            case CellKind.Text:
                return TryWriteText(cell.Text.Span, type, destination, out error);
            case CellKind.Number:
                return TryWriteDouble(cell.Number, type, destination, out error);
            case CellKind.Integer:
            case CellKind.Boolean:
                return TryWriteInteger(cell.Integer, type, destination, out error);
            default:
                error = $"holds a {cell.Kind.ToString().ToLowerInvariant()} where a number is expected";
                return false;
        }
    }

    private static bool TryWriteText(ReadOnlySpan<char> text, DataType type, Span<byte> destination, out string? error)
    {
        text = text.Trim();
        error = null;
        switch (type)
        {
            case DataType.Fp32:
                if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination, f);
                    return true;
                }

                break;
            case DataType.Bool:
                if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.SequenceEqual("1"))
                {
                    destination[0] = 1;
                    return true;
                }

                if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text.SequenceEqual("0"))
                {
                    destination[0] = 0;
                    return true;
                }

                error = $"'{Shorten(text)}' is not a boolean (true, false, 1 or 0)";
                return false;
            default:
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && IsIntegerType(type))
                {
                    return TryWriteInteger(l, type, destination, out error);
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    return TryWriteDouble(d, type, destination, out error);
                }

                break;
        }

        error = $"'{Shorten(text)}' is not a number";
        return false;
    }

    private static bool TryWriteDouble(double value, DataType type, Span<byte> destination, out string? error)
    {
        error = null;
        switch (type)
        {
            case DataType.Fp32:
                BinaryPrimitives.WriteSingleLittleEndian(destination, (float)value);
                return true;
            case DataType.Fp64:
                BinaryPrimitives.WriteDoubleLittleEndian(destination, value);
                return true;
            case DataType.Fp16:
                BinaryPrimitives.WriteHalfLittleEndian(destination, (Half)value);
                return true;
            case DataType.Bf16:
                // bfloat16 is the upper half of a float32 (round to nearest even on the dropped bits).
                var bits = BitConverter.SingleToUInt32Bits((float)value);
                bits += 0x7FFF + ((bits >> 16) & 1);
                BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)(bits >> 16));
                return true;
            default:
                if (value != Math.Floor(value) || !double.IsFinite(value) || Math.Abs(value) > 9.2e18)
                {
                    error = $"{value.ToString(CultureInfo.InvariantCulture)} is not a whole number for a {type.ToWireName()} input";
                    return false;
                }

                return TryWriteInteger((long)value, type, destination, out error);
        }
    }

    private static bool TryWriteInteger(long value, DataType type, Span<byte> destination, out string? error)
    {
        error = null;
        bool fits;
        switch (type)
        {
            case DataType.Bool:
                fits = value is 0 or 1;
                if (fits)
                {
                    destination[0] = (byte)value;
                }

                break;
            case DataType.UInt8:
                fits = value is >= byte.MinValue and <= byte.MaxValue;
                if (fits)
                {
                    destination[0] = (byte)value;
                }

                break;
            case DataType.Int8:
                fits = value is >= sbyte.MinValue and <= sbyte.MaxValue;
                if (fits)
                {
                    destination[0] = (byte)(sbyte)value;
                }

                break;
            case DataType.UInt16:
                fits = value is >= ushort.MinValue and <= ushort.MaxValue;
                if (fits)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)value);
                }

                break;
            case DataType.Int16:
                fits = value is >= short.MinValue and <= short.MaxValue;
                if (fits)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(destination, (short)value);
                }

                break;
            case DataType.UInt32:
                fits = value is >= uint.MinValue and <= uint.MaxValue;
                if (fits)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)value);
                }

                break;
            case DataType.Int32:
                fits = value is >= int.MinValue and <= int.MaxValue;
                if (fits)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(destination, (int)value);
                }

                break;
            case DataType.UInt64:
                fits = value >= 0;
                if (fits)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(destination, (ulong)value);
                }

                break;
            case DataType.Int64:
                fits = true;
                BinaryPrimitives.WriteInt64LittleEndian(destination, value);
                break;
            default:
                return TryWriteDouble(value, type, destination, out error);
        }

        if (!fits)
        {
            error = $"{value} is out of range for a {type.ToWireName()} input";
        }

        return fits;
    }

    private static bool IsIntegerType(DataType type) =>
        type is DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64 or DataType.Int8 or DataType.Int16 or DataType.Int32 or DataType.Int64;

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "…");
}

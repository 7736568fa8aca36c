using System.Buffers.Binary;
using Inferd.Abstractions.Tensors;

namespace Inferd.Explain.Evaluation;

/// <summary>Reads and writes single elements of the protocol's binary layout as doubles, for every numeric datatype.</summary>
internal static class CellCodec
{
    /// <summary>Whether elements of <paramref name="type"/> are numbers (BOOL counts: 0 or 1).</summary>
    public static bool IsNumeric(DataType type) => type is not (DataType.Bytes or DataType.Invalid);

    /// <summary>Element <paramref name="index"/> of a fixed-size cell as a double.</summary>
    public static double Read(DataType type, ReadOnlySpan<byte> data, int index) =>
        type.TryRead(data, index, out var value) ? value : throw new ArgumentOutOfRangeException(nameof(type), type, "not a numeric datatype");

    /// <summary>Writes <paramref name="value"/> into element <paramref name="index"/>; integers round to nearest, saturating.</summary>
    public static void Write(DataType type, Span<byte> data, int index, double value)
    {
        var size = type.ElementSize();
        var e = data.Slice(index * size, size);
        var r = Math.Round(value, MidpointRounding.ToEven);
        switch (type)
        {
            case DataType.Bool: e[0] = value >= 0.5 ? (byte)1 : (byte)0; break;
            case DataType.UInt8: e[0] = (byte)Math.Clamp(r, byte.MinValue, byte.MaxValue); break;
            case DataType.Int8: e[0] = (byte)(sbyte)Math.Clamp(r, sbyte.MinValue, sbyte.MaxValue); break;
            case DataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(e, (ushort)Math.Clamp(r, ushort.MinValue, ushort.MaxValue)); break;
            case DataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(e, (short)Math.Clamp(r, short.MinValue, short.MaxValue)); break;
            case DataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(e, (uint)Math.Clamp(r, uint.MinValue, uint.MaxValue)); break;
            case DataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(e, (int)Math.Clamp(r, int.MinValue, int.MaxValue)); break;
            case DataType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(e, (ulong)Math.Clamp(r, 0, 1.8e19)); break;
            case DataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(e, (long)Math.Clamp(r, -9.2e18, 9.2e18)); break;
            case DataType.Fp16: BinaryPrimitives.WriteHalfLittleEndian(e, (Half)value); break;
            case DataType.Bf16: BinaryPrimitives.WriteUInt16LittleEndian(e, (ushort)(BitConverter.SingleToInt32Bits((float)value) >>> 16)); break;
            case DataType.Fp32: BinaryPrimitives.WriteSingleLittleEndian(e, (float)value); break;
            case DataType.Fp64: BinaryPrimitives.WriteDoubleLittleEndian(e, value); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "not a numeric datatype");
        }
    }
}

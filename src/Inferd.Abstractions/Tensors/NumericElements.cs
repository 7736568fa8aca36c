using System.Buffers.Binary;

namespace Inferd.Abstractions.Tensors;

/// <summary>Reads single elements of the protocol's binary layout as doubles, for every numeric datatype and BOOL.</summary>
public static class NumericElements
{
    /// <summary>
    /// Element <paramref name="index"/> of <paramref name="data"/> (little-endian, row-major) as a double: BOOL as 0 or 1,
    /// integers exactly up to 2^53, FP16 and BF16 widened. False for BYTES and Invalid, which have no number.
    /// </summary>
    /// <param name="type">The elements' datatype.</param>
    /// <param name="data">The encoded elements; the caller has checked that <paramref name="index"/> is inside.</param>
    /// <param name="index">Element index.</param>
    /// <param name="value">The number, or 0 when the type has none.</param>
    public static bool TryRead(this DataType type, ReadOnlySpan<byte> data, int index, out double value)
    {
        var size = type.ElementSize();
        if (size == 0)
        {
            value = 0;
            return false;
        }

        var e = data.Slice(index * size, size);
        value = type switch
        {
            DataType.Bool => e[0] != 0 ? 1 : 0,
            DataType.UInt8 => e[0],
            DataType.Int8 => (sbyte)e[0],
            DataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(e),
            DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(e),
            DataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(e),
            DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(e),
            DataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(e),
            DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(e),
            DataType.Fp16 => (double)BinaryPrimitives.ReadHalfLittleEndian(e),
            DataType.Bf16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(e) << 16),
            DataType.Fp32 => BinaryPrimitives.ReadSingleLittleEndian(e),
            _ => BinaryPrimitives.ReadDoubleLittleEndian(e),
        };
        return true;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Tensors;

namespace Inferd.FunctionalTests;

/// <summary>Sample data of shape [2,3] for every datatype, including edge values, plus its JSON form.</summary>
internal static class SampleTensors
{
    public static byte[] Data(DataType type)
    {
        switch (type)
        {
            case DataType.Bytes:
                return BytesTensor.EncodeStrings(["", "a", "héllo", "tab\tand\"quote", "x", "emoji 🙂"]);
            case DataType.Bool:
                return [1, 0, 1, 1, 0, 0];
        }

        var size = type.ElementSize();
        var data = new byte[6 * size];
        for (var i = 0; i < 6; i++)
        {
            var e = data.AsSpan(i * size, size);
            switch (type)
            {
                case DataType.UInt8: e[0] = (byte)(i == 5 ? 255 : i * 40); break;
                case DataType.Int8: e[0] = unchecked((byte)(sbyte)(i == 5 ? -128 : i * 20 - 50)); break;
                case DataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(e, (ushort)(i == 5 ? 65535 : i * 1000)); break;
                case DataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(e, (short)(i == 5 ? short.MinValue : i * 1000 - 2500)); break;
                case DataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(e, i == 5 ? uint.MaxValue : (uint)i * 100_000); break;
                case DataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(e, i == 5 ? int.MinValue : i * 100_000 - 250_000); break;
                case DataType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(e, i == 5 ? (1UL << 53) : (ulong)i * 10_000_000_000); break;
                case DataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(e, i == 5 ? -(1L << 53) : i * 10_000_000_000 - 3); break;
                case DataType.Fp16: BinaryPrimitives.WriteHalfLittleEndian(e, (Half)(i * 0.5f - 1.25f)); break;
                case DataType.Bf16: BinaryPrimitives.WriteUInt16LittleEndian(e, (ushort)(BitConverter.SingleToInt32Bits(i * 0.5f - 1.25f) >> 16)); break;
                case DataType.Fp32: BinaryPrimitives.WriteSingleLittleEndian(e, i == 5 ? float.Epsilon : i * 0.1f - 0.3f); break;
                case DataType.Fp64: BinaryPrimitives.WriteDoubleLittleEndian(e, i == 5 ? double.MaxValue : i * 0.1 - 0.3); break;
            }
        }

        return data;
    }

    /// <summary>The JSON array literal of <see cref="Data"/>; FP16/BF16 have none.</summary>
    public static string Json(DataType type)
    {
        var data = Data(type);
        if (type == DataType.Bytes)
        {
            return JsonSerializer.Serialize(BytesTensor.Split(data).Select(m => Encoding.UTF8.GetString(m.Span)).ToArray());
        }

        var size = type.ElementSize();
        var items = new string[6];
        for (var i = 0; i < 6; i++)
        {
            var e = data.AsSpan(i * size, size);
            items[i] = type switch
            {
                DataType.Bool => e[0] != 0 ? "true" : "false",
                DataType.UInt8 => e[0].ToString(CultureInfo.InvariantCulture),
                DataType.Int8 => ((sbyte)e[0]).ToString(CultureInfo.InvariantCulture),
                DataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(e).ToString(CultureInfo.InvariantCulture),
                DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(e).ToString(CultureInfo.InvariantCulture),
                DataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(e).ToString(CultureInfo.InvariantCulture),
                DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(e).ToString(CultureInfo.InvariantCulture),
                DataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(e).ToString(CultureInfo.InvariantCulture),
                DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(e).ToString(CultureInfo.InvariantCulture),
                DataType.Fp32 => BinaryPrimitives.ReadSingleLittleEndian(e).ToString("R", CultureInfo.InvariantCulture),
                DataType.Fp64 => BinaryPrimitives.ReadDoubleLittleEndian(e).ToString("R", CultureInfo.InvariantCulture),
                _ => throw new ArgumentOutOfRangeException(nameof(type)),
            };
        }

        return "[" + string.Join(",", items) + "]";
    }

    /// <summary>Turns a JSON <c>data</c> array back into the binary layout, to compare bit for bit.</summary>
    public static byte[] FromJson(DataType type, JsonElement array)
    {
        var items = array.EnumerateArray().ToArray();
        if (type == DataType.Bytes)
        {
            return BytesTensor.EncodeStrings(items.Select(e => e.GetString()!));
        }

        var size = type.ElementSize();
        var data = new byte[items.Length * size];
        for (var i = 0; i < items.Length; i++)
        {
            var e = data.AsSpan(i * size, size);
            var item = items[i];
            switch (type)
            {
                case DataType.Bool: e[0] = item.GetBoolean() ? (byte)1 : (byte)0; break;
                case DataType.UInt8: e[0] = item.GetByte(); break;
                case DataType.Int8: e[0] = unchecked((byte)item.GetSByte()); break;
                case DataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(e, item.GetUInt16()); break;
                case DataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(e, item.GetInt16()); break;
                case DataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(e, item.GetUInt32()); break;
                case DataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(e, item.GetInt32()); break;
                case DataType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(e, item.GetUInt64()); break;
                case DataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(e, item.GetInt64()); break;
                case DataType.Fp32: BinaryPrimitives.WriteSingleLittleEndian(e, item.GetSingle()); break;
                case DataType.Fp64: BinaryPrimitives.WriteDoubleLittleEndian(e, item.GetDouble()); break;
                default: throw new ArgumentOutOfRangeException(nameof(type));
            }
        }

        return data;
    }
}

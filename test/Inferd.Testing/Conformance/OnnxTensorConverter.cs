using System.Buffers.Binary;
using Inferd.Abstractions.Tensors;
using Inferd.Testing.Models;
using Onnx;

namespace Inferd.Testing.Conformance;

/// <summary>
/// Turns a serialized ONNX <see cref="TensorProto"/> into an <see cref="InferenceTensor"/> in the protocol's binary
/// layout. Handles <c>raw_data</c> (already little-endian) and the typed fields, including the ONNX rule that
/// INT8/INT16/UINT8/UINT16/BOOL/FLOAT16/BFLOAT16 values travel one per <c>int32_data</c> entry in the low bits.
/// </summary>
public static class OnnxTensorConverter
{
    /// <summary>Converts <paramref name="proto"/>; on failure returns false and why.</summary>
    /// <param name="proto">The tensor.</param>
    /// <param name="name">Name to give the result (test data files often leave the proto's name empty).</param>
    /// <param name="tensor">The converted tensor.</param>
    /// <param name="reason">Why conversion failed.</param>
    public static bool TryConvert(TensorProto proto, string name, out InferenceTensor? tensor, out string? reason)
    {
        tensor = null;
        reason = null;
        if (proto.DataLocation == TensorProto.Types.DataLocation.External || proto.ExternalData.Count > 0)
        {
            reason = "tensor data stored outside the file (external data) is not supported";
            return false;
        }

        if (proto.Segment is not null)
        {
            reason = "segmented tensors are not supported";
            return false;
        }

        if (!OnnxElementTypes.TryFromOnnx(proto.DataType, out var type))
        {
            reason = $"datatype {OnnxElementTypes.OnnxName(proto.DataType)} is not in the protocol";
            return false;
        }

        var shape = proto.Dims.ToArray();
        if (!TensorShape.TryGetElementCount(shape, out var count) || count > int.MaxValue)
        {
            reason = $"bad shape {TensorShape.Format(shape)}";
            return false;
        }

        var data = type == DataType.Bytes ? EncodeStrings(proto, count, out reason) : EncodeFixed(proto, type, (int)count, out reason);
        if (data is null)
        {
            return false;
        }

        tensor = new InferenceTensor(name, type, shape, data);
        return true;
    }

    /// <summary>Parses a <c>.pb</c> file holding a <see cref="TensorProto"/> and converts it.</summary>
    public static bool TryReadFile(string path, string name, out InferenceTensor? tensor, out string? reason)
    {
        TensorProto proto;
        try
        {
            proto = TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            tensor = null;
            reason = $"{Path.GetFileName(path)} is not a TensorProto: {e.Message}";
            return false;
        }

        return TryConvert(proto, name, out tensor, out reason);
    }

    private static byte[]? EncodeStrings(TensorProto proto, long count, out string? reason)
    {
        reason = null;
        if (proto.StringData.Count != count)
        {
            reason = $"string_data has {proto.StringData.Count} elements, shape needs {count}";
            return null;
        }

        return BytesTensor.Encode(proto.StringData.Select(s => (ReadOnlyMemory<byte>)s.ToByteArray()).ToArray());
    }

    private static byte[]? EncodeFixed(TensorProto proto, DataType type, int count, out string? reason)
    {
        reason = null;
        var size = type.ElementSize();
        var bytes = new byte[(long)count * size];
        if (!proto.RawData.IsEmpty)
        {
            if (proto.RawData.Length != bytes.Length)
            {
                reason = $"raw_data has {proto.RawData.Length} bytes, shape needs {bytes.Length}";
                return null;
            }

            proto.RawData.Span.CopyTo(bytes);
            return bytes;
        }

        var written = type switch
        {
            DataType.Fp32 => Write(proto.FloatData, count, bytes, static (d, v) => BinaryPrimitives.WriteSingleLittleEndian(d, v)),
            DataType.Fp64 => Write(proto.DoubleData, count, bytes, static (d, v) => BinaryPrimitives.WriteDoubleLittleEndian(d, v)),
            DataType.Int64 => Write(proto.Int64Data, count, bytes, static (d, v) => BinaryPrimitives.WriteInt64LittleEndian(d, v)),
            DataType.UInt64 => Write(proto.Uint64Data, count, bytes, static (d, v) => BinaryPrimitives.WriteUInt64LittleEndian(d, v)),
            DataType.UInt32 => Write(proto.Uint64Data, count, bytes, static (d, v) => BinaryPrimitives.WriteUInt32LittleEndian(d, (uint)v)),
            DataType.Int32 => Write(proto.Int32Data, count, bytes, static (d, v) => BinaryPrimitives.WriteInt32LittleEndian(d, v)),
            // Narrow types keep their bit pattern in the low bits of each int32_data entry (onnx.proto).
            DataType.Int16 or DataType.UInt16 or DataType.Fp16 or DataType.Bf16 =>
                Write(proto.Int32Data, count, bytes, static (d, v) => BinaryPrimitives.WriteUInt16LittleEndian(d, (ushort)v)),
            DataType.Int8 or DataType.UInt8 => Write(proto.Int32Data, count, bytes, static (d, v) => d[0] = (byte)v),
            DataType.Bool => Write(proto.Int32Data, count, bytes, static (d, v) => d[0] = v != 0 ? (byte)1 : (byte)0),
            _ => -1,
        };
        if (written != count)
        {
            reason = written < 0
                ? $"no typed field for {type.ToWireName()}"
                : $"typed field has {written} elements, shape needs {count}";
            return null;
        }

        return bytes;
    }

    private delegate void ElementWriter<T>(Span<byte> destination, T value);

    private static int Write<T>(IReadOnlyList<T> values, int count, byte[] destination, ElementWriter<T> write)
    {
        if (values.Count != count)
        {
            return values.Count;
        }

        var size = count == 0 ? 0 : destination.Length / count;
        for (var i = 0; i < count; i++)
        {
            write(destination.AsSpan(i * size, size), values[i]);
        }

        return count;
    }
}

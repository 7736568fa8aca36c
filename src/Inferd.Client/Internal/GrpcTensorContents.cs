using System.Buffers.Binary;
using Google.Protobuf;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Client.Internal;

/// <summary>Maps the binary layout to and from typed <c>InferTensorContents</c> (protocol.md §5, gRPC column).</summary>
internal static class GrpcTensorContents
{
    /// <summary>Whether a datatype has a typed form (FP16 and BF16 travel raw only).</summary>
    public static bool HasTypedForm(DataType type) => type is not (DataType.Fp16 or DataType.Bf16 or DataType.Invalid);

    public static InferTensorContents ToContents(ClientTensor t)
    {
        var c = new InferTensorContents();
        switch (t.DataType)
        {
            case DataType.Bool:
                c.BoolContents.AddRange(t.AsBools());
                break;
            case DataType.UInt8:
                c.UintContents.AddRange(t.AsUInt8s().Select(v => (uint)v));
                break;
            case DataType.UInt16:
                c.UintContents.AddRange(t.AsUInt16s().Select(v => (uint)v));
                break;
            case DataType.UInt32:
                c.UintContents.AddRange(t.AsUInt32s());
                break;
            case DataType.UInt64:
                c.Uint64Contents.AddRange(t.AsUInt64s());
                break;
            case DataType.Int8:
                c.IntContents.AddRange(t.AsInt8s().Select(v => (int)v));
                break;
            case DataType.Int16:
                c.IntContents.AddRange(t.AsInt16s().Select(v => (int)v));
                break;
            case DataType.Int32:
                c.IntContents.AddRange(t.AsInt32s());
                break;
            case DataType.Int64:
                c.Int64Contents.AddRange(t.AsInt64s());
                break;
            case DataType.Fp32:
                c.Fp32Contents.AddRange(t.AsFloats());
                break;
            case DataType.Fp64:
                c.Fp64Contents.AddRange(t.AsDoubles());
                break;
            case DataType.Bytes:
                c.BytesContents.AddRange(t.AsByteArrays().Select(ByteString.CopyFrom));
                break;
            default:
                throw new InvalidOperationException($"tensor '{t.Name}': {t.DataType.ToWireName()} has no typed gRPC form");
        }

        return c;
    }

    /// <summary>Encodes typed contents into the binary layout.</summary>
    /// <exception cref="FormatException">The contents do not match the datatype or the element count.</exception>
    public static byte[] FromContents(InferTensorContents c, string name, DataType type, long count)
    {
        switch (type)
        {
            case DataType.Bool:
                Check(c.BoolContents.Count);
                return c.BoolContents.Select(b => b ? (byte)1 : (byte)0).ToArray();
            case DataType.UInt8:
                Check(c.UintContents.Count);
                return c.UintContents.Select(v => checked((byte)v)).ToArray();
            case DataType.UInt16:
                Check(c.UintContents.Count);
                return Pack(c.UintContents, 2, (s, v) => BinaryPrimitives.WriteUInt16LittleEndian(s, checked((ushort)v)));
            case DataType.UInt32:
                Check(c.UintContents.Count);
                return Pack(c.UintContents, 4, BinaryPrimitives.WriteUInt32LittleEndian);
            case DataType.UInt64:
                Check(c.Uint64Contents.Count);
                return Pack(c.Uint64Contents, 8, BinaryPrimitives.WriteUInt64LittleEndian);
            case DataType.Int8:
                Check(c.IntContents.Count);
                return c.IntContents.Select(v => (byte)checked((sbyte)v)).ToArray();
            case DataType.Int16:
                Check(c.IntContents.Count);
                return Pack(c.IntContents, 2, (s, v) => BinaryPrimitives.WriteInt16LittleEndian(s, checked((short)v)));
            case DataType.Int32:
                Check(c.IntContents.Count);
                return Pack(c.IntContents, 4, BinaryPrimitives.WriteInt32LittleEndian);
            case DataType.Int64:
                Check(c.Int64Contents.Count);
                return Pack(c.Int64Contents, 8, BinaryPrimitives.WriteInt64LittleEndian);
            case DataType.Fp32:
                Check(c.Fp32Contents.Count);
                return Pack(c.Fp32Contents, 4, BinaryPrimitives.WriteSingleLittleEndian);
            case DataType.Fp64:
                Check(c.Fp64Contents.Count);
                return Pack(c.Fp64Contents, 8, BinaryPrimitives.WriteDoubleLittleEndian);
            case DataType.Bytes:
                Check(c.BytesContents.Count);
                return BytesTensor.Encode(c.BytesContents.Select(b => b.Memory).ToArray());
            default:
                throw new FormatException($"output '{name}': {type.ToWireName()} has no typed gRPC form and no raw contents");
        }

        void Check(int actual)
        {
            if (actual != count)
            {
                throw new FormatException($"output '{name}': typed contents hold {actual} elements, the shape needs {count}");
            }
        }
    }

    private static byte[] Pack<T>(IReadOnlyList<T> values, int size, SpanAction<T> write)
    {
        var buffer = new byte[values.Count * size];
        for (var i = 0; i < values.Count; i++)
        {
            write(buffer.AsSpan(i * size, size), values[i]);
        }

        return buffer;
    }

    private delegate void SpanAction<in T>(Span<byte> destination, T value);
}

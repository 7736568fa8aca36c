using System.Buffers.Binary;
using Google.Protobuf;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Protocol.Tests;

/// <summary>For every typed datatype: wire contents and the binary layout they must become, built independently.</summary>
internal static class TypedCases
{
    public static TheoryData<string> DataTypeNames =>
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP32", "FP64", "BYTES"];

    public static (InferTensorContents Contents, byte[] Expected) For(string datatype)
    {
        var c = new InferTensorContents();
        byte[] expected;
        switch (datatype)
        {
            case "BOOL":
                c.BoolContents.AddRange([true, false, true]);
                expected = [1, 0, 1];
                break;
            case "UINT8":
                c.UintContents.AddRange([0u, 7u, 255u]);
                expected = [0, 7, 255];
                break;
            case "UINT16":
                c.UintContents.AddRange([0u, 258u, 65535u]);
                expected = [0, 0, 2, 1, 255, 255];
                break;
            case "UINT32":
                c.UintContents.AddRange([1u, 0x01020304u, uint.MaxValue]);
                expected = [1, 0, 0, 0, 4, 3, 2, 1, 255, 255, 255, 255];
                break;
            case "UINT64":
                c.Uint64Contents.AddRange([1ul, ulong.MaxValue, 0x0102030405060708ul]);
                expected = new byte[24];
                BinaryPrimitives.WriteUInt64LittleEndian(expected, 1);
                BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(8), ulong.MaxValue);
                BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(16), 0x0102030405060708ul);
                break;
            case "INT8":
                c.IntContents.AddRange([-128, 0, 127]);
                expected = [0x80, 0, 0x7F];
                break;
            case "INT16":
                c.IntContents.AddRange([-32768, -1, 32767]);
                expected = [0x00, 0x80, 0xFF, 0xFF, 0xFF, 0x7F];
                break;
            case "INT32":
                c.IntContents.AddRange([int.MinValue, -1, 5]);
                expected = [0, 0, 0, 0x80, 255, 255, 255, 255, 5, 0, 0, 0];
                break;
            case "INT64":
                c.Int64Contents.AddRange([long.MinValue, -2L, 3L]);
                expected = new byte[24];
                BinaryPrimitives.WriteInt64LittleEndian(expected, long.MinValue);
                BinaryPrimitives.WriteInt64LittleEndian(expected.AsSpan(8), -2);
                BinaryPrimitives.WriteInt64LittleEndian(expected.AsSpan(16), 3);
                break;
            case "FP32":
                c.Fp32Contents.AddRange([1.5f, -0f, float.PositiveInfinity]);
                expected = new byte[12];
                BinaryPrimitives.WriteSingleLittleEndian(expected, 1.5f);
                BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(4), -0f);
                BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(8), float.PositiveInfinity);
                break;
            case "FP64":
                c.Fp64Contents.AddRange([Math.PI, double.NaN, -1e300]);
                expected = new byte[24];
                BinaryPrimitives.WriteDoubleLittleEndian(expected, Math.PI);
                BinaryPrimitives.WriteDoubleLittleEndian(expected.AsSpan(8), double.NaN);
                BinaryPrimitives.WriteDoubleLittleEndian(expected.AsSpan(16), -1e300);
                break;
            case "BYTES":
                c.BytesContents.AddRange([ByteString.CopyFromUtf8("abc\0def"), ByteString.Empty, ByteString.CopyFrom(0xFF, 0xFE)]);
                expected = [7, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', 0, (byte)'d', (byte)'e', (byte)'f', 0, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFE];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(datatype));
        }

        return (c, expected);
    }

    public static DataType Parse(string datatype) =>
        DataTypes.TryParseWireName(datatype, out var type) ? type : throw new ArgumentOutOfRangeException(nameof(datatype));
}

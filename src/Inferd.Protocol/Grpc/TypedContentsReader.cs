using System.Buffers.Binary;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Protocol.Grpc;

/// <summary>Encodes typed <see cref="InferTensorContents"/> into the binary layout, with strict per-type checks.</summary>
internal static class TypedContentsReader
{
    /// <summary>True when any typed field holds at least one element.</summary>
    public static bool HasAny(InferTensorContents? contents) => contents is not null && TotalCount(contents) > 0;

    /// <summary>
    /// Encodes the contents of one input. Exactly the field that belongs to the datatype may be used, with exactly
    /// the element count of the shape; integer values must fit the datatype (no implicit casts).
    /// </summary>
    public static ReadOnlyMemory<byte> Read(string name, InputHeader header, InferTensorContents? contents, RequestLimits limits)
    {
        contents ??= new InferTensorContents();
        if (header.DataType is DataType.Fp16 or DataType.Bf16)
        {
            if (header.ElementCount == 0 && TotalCount(contents) == 0)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            throw InferenceException.Invalid($"input '{name}' is {header.DataType.ToWireName()}, which travels only in raw_input_contents");
        }

        var fieldCount = FieldCount(contents, header.DataType);
        if (fieldCount != header.ElementCount)
        {
            throw InferenceException.Invalid($"input '{name}' has {fieldCount} elements in contents; the shape needs {header.ElementCount}");
        }

        if (TotalCount(contents) != fieldCount)
        {
            throw InferenceException.Invalid($"input '{name}' sets a contents field that does not match datatype {header.DataType.ToWireName()}");
        }

        return header.DataType == DataType.Bytes
            ? EncodeBytes(name, contents, limits)
            : EncodeFixed(name, header, contents);
    }

    private static long TotalCount(InferTensorContents c) =>
        (long)c.BoolContents.Count + c.IntContents.Count + c.Int64Contents.Count + c.UintContents.Count
        + c.Uint64Contents.Count + c.Fp32Contents.Count + c.Fp64Contents.Count + c.BytesContents.Count;

    private static int FieldCount(InferTensorContents c, DataType type) => type switch
    {
        DataType.Bool => c.BoolContents.Count,
        DataType.Int8 or DataType.Int16 or DataType.Int32 => c.IntContents.Count,
        DataType.Int64 => c.Int64Contents.Count,
        DataType.UInt8 or DataType.UInt16 or DataType.UInt32 => c.UintContents.Count,
        DataType.UInt64 => c.Uint64Contents.Count,
        DataType.Fp32 => c.Fp32Contents.Count,
        DataType.Fp64 => c.Fp64Contents.Count,
        _ => c.BytesContents.Count,
    };

    private static byte[] EncodeFixed(string name, InputHeader header, InferTensorContents c)
    {
        // The element count equals a field that was already decoded from a size-limited message, so this is bounded.
        var buffer = new byte[header.ByteSize];
        var span = buffer.AsSpan();
        switch (header.DataType)
        {
            case DataType.Bool:
                for (var i = 0; i < c.BoolContents.Count; i++)
                {
                    span[i] = c.BoolContents[i] ? (byte)1 : (byte)0;
                }

                break;
            case DataType.Int8:
                for (var i = 0; i < c.IntContents.Count; i++)
                {
                    span[i] = (byte)(sbyte)CheckRange(name, c.IntContents[i], sbyte.MinValue, sbyte.MaxValue);
                }

                break;
            case DataType.Int16:
                for (var i = 0; i < c.IntContents.Count; i++)
                {
                    BinaryPrimitives.WriteInt16LittleEndian(span[(i * 2)..], (short)CheckRange(name, c.IntContents[i], short.MinValue, short.MaxValue));
                }

                break;
            case DataType.Int32:
                for (var i = 0; i < c.IntContents.Count; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], c.IntContents[i]);
                }

                break;
            case DataType.Int64:
                for (var i = 0; i < c.Int64Contents.Count; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(span[(i * 8)..], c.Int64Contents[i]);
                }

                break;
            case DataType.UInt8:
                for (var i = 0; i < c.UintContents.Count; i++)
                {
                    span[i] = (byte)CheckRange(name, c.UintContents[i], byte.MaxValue);
                }

                break;
            case DataType.UInt16:
                for (var i = 0; i < c.UintContents.Count; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(span[(i * 2)..], (ushort)CheckRange(name, c.UintContents[i], ushort.MaxValue));
                }

                break;
            case DataType.UInt32:
                for (var i = 0; i < c.UintContents.Count; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(span[(i * 4)..], c.UintContents[i]);
                }

                break;
            case DataType.UInt64:
                for (var i = 0; i < c.Uint64Contents.Count; i++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(span[(i * 8)..], c.Uint64Contents[i]);
                }

                break;
            case DataType.Fp32:
                for (var i = 0; i < c.Fp32Contents.Count; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(span[(i * 4)..], c.Fp32Contents[i]);
                }

                break;
            case DataType.Fp64:
                for (var i = 0; i < c.Fp64Contents.Count; i++)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(span[(i * 8)..], c.Fp64Contents[i]);
                }

                break;
            default:
                throw new InferenceException(InferenceErrorKind.Internal, "unexpected datatype in typed contents");
        }

        return buffer;
    }

    private static byte[] EncodeBytes(string name, InferTensorContents c, RequestLimits limits)
    {
        long total = 0;
        foreach (var element in c.BytesContents)
        {
            total = checked(total + 4 + element.Length);
        }

        if (total > limits.MaxRequestBytes)
        {
            throw InferenceException.Invalid($"input '{name}' BYTES contents need {total} bytes; the limit is {limits.MaxRequestBytes}");
        }

        var buffer = new byte[total];
        var offset = 0;
        foreach (var element in c.BytesContents)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)element.Length);
            offset += 4;
            element.Span.CopyTo(buffer.AsSpan(offset));
            offset += element.Length;
        }

        return buffer;
    }

    private static int CheckRange(string name, int value, int min, int max) =>
        value < min || value > max
            ? throw InferenceException.Invalid($"input '{name}' has an int_contents value outside the range of its datatype")
            : value;

    private static uint CheckRange(string name, uint value, uint max) =>
        value > max
            ? throw InferenceException.Invalid($"input '{name}' has a uint_contents value outside the range of its datatype")
            : value;
}

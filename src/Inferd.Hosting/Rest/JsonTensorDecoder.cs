using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Turns a JSON <c>data</c> array (flat or nested) into the protocol's binary layout. Strict: no implicit casts
/// (bad-inputs.md row 2). Elements are counted and compared with the shape before the buffer is allocated (row 1).
/// </summary>
internal static class JsonTensorDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="data"/>; <paramref name="expected"/> is the validated shape product.</summary>
    public static byte[] Decode(JsonElement data, DataType type, long expected, string tensor, RequestLimits limits)
    {
        if (type is DataType.Fp16 or DataType.Bf16)
        {
            throw InferenceException.Invalid($"{type.ToWireName()} has no JSON form; send it as binary");
        }

        if (data.ValueKind != JsonValueKind.Array)
        {
            throw InferenceException.Invalid($"input '{tensor}': 'data' must be a JSON array");
        }

        // The document's MaxDepth bounds this recursion (64 levels at most).
        var count = CountLeaves(data, tensor);
        if (count != expected)
        {
            throw InferenceException.Invalid($"input '{tensor}': expected {expected} elements, got {count}");
        }

        return type == DataType.Bytes ? DecodeBytes(data, count, tensor) : DecodeFixed(data, type, count, tensor, limits);
    }

    private static long CountLeaves(JsonElement array, string tensor)
    {
        long count = 0;
        foreach (var item in array.EnumerateArray())
        {
            count += item.ValueKind switch
            {
                JsonValueKind.Array => CountLeaves(item, tensor),
                JsonValueKind.Object => throw InferenceException.Invalid($"input '{tensor}': 'data' must not contain objects"),
                _ => 1,
            };
        }

        return count;
    }

    private static byte[] DecodeFixed(JsonElement data, DataType type, long count, string tensor, RequestLimits limits)
    {
        var buffer = new byte[checked(count * type.ElementSize())];
        var index = 0;
        Fill(data, type, buffer, ref index, tensor, limits);
        return buffer;
    }

    private static void Fill(JsonElement array, DataType type, byte[] buffer, ref int index, string tensor, RequestLimits limits)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                Fill(item, type, buffer, ref index, tensor, limits);
                continue;
            }

            var span = buffer.AsSpan(index * type.ElementSize());
            WriteElement(item, type, span, tensor, limits);
            index++;
        }
    }

    private static void WriteElement(JsonElement item, DataType type, Span<byte> dest, string tensor, RequestLimits limits)
    {
        switch (type)
        {
            case DataType.Bool:
                dest[0] = item.ValueKind switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => throw Mismatch(tensor, type),
                };
                break;
            case DataType.Fp32:
                BinaryPrimitives.WriteSingleLittleEndian(dest, ReadSingle(item, tensor, limits));
                break;
            case DataType.Fp64:
                BinaryPrimitives.WriteDoubleLittleEndian(dest, ReadDouble(item, tensor, limits));
                break;
            case DataType.UInt64:
                BinaryPrimitives.WriteUInt64LittleEndian(dest, ReadUInt64(item, tensor, type));
                break;
            default:
                WriteSigned(dest, type, ReadInt64(item, tensor, type));
                break;
        }
    }

    private static void WriteSigned(Span<byte> dest, DataType type, long value)
    {
        var (min, max) = type switch
        {
            DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
            DataType.Int16 => (short.MinValue, short.MaxValue),
            DataType.Int32 => (int.MinValue, int.MaxValue),
            DataType.UInt8 => (byte.MinValue, byte.MaxValue),
            DataType.UInt16 => (ushort.MinValue, ushort.MaxValue),
            DataType.UInt32 => (uint.MinValue, uint.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        if (value < min || value > max)
        {
            throw InferenceException.Invalid($"a value is out of range for {type.ToWireName()}");
        }

        switch (type)
        {
            case DataType.Int8:
            case DataType.UInt8:
                dest[0] = unchecked((byte)value);
                break;
            case DataType.Int16:
            case DataType.UInt16:
                BinaryPrimitives.WriteUInt16LittleEndian(dest, unchecked((ushort)value));
                break;
            case DataType.Int32:
            case DataType.UInt32:
                BinaryPrimitives.WriteUInt32LittleEndian(dest, unchecked((uint)value));
                break;
            default:
                BinaryPrimitives.WriteInt64LittleEndian(dest, value);
                break;
        }
    }

    private static long ReadInt64(JsonElement item, string tensor, DataType type)
    {
        if (item.ValueKind != JsonValueKind.Number)
        {
            throw Mismatch(tensor, type);
        }

        if (item.TryGetInt64(out var value))
        {
            return value;
        }

        // "3.0" or "3e2" are whole numbers; anything with a fraction is a float sent for an integer type.
        if (TryGetWholeDouble(item, out var whole) && whole >= long.MinValue && whole < 9.2e18)
        {
            return (long)whole;
        }

        throw item.TryGetUInt64(out _) || item.TryGetDouble(out var d) && Math.Floor(d) == d
            ? InferenceException.Invalid($"a value is out of range for {type.ToWireName()}")
            : InferenceException.Invalid($"input '{tensor}': {type.ToWireName()} needs integers, got a number with a fraction");
    }

    private static ulong ReadUInt64(JsonElement item, string tensor, DataType type)
    {
        if (item.ValueKind != JsonValueKind.Number)
        {
            throw Mismatch(tensor, type);
        }

        if (item.TryGetUInt64(out var value))
        {
            return value;
        }

        if (TryGetWholeDouble(item, out var whole) && whole >= 0 && whole < 1.8e19)
        {
            return (ulong)whole;
        }

        throw item.TryGetInt64(out _) || item.TryGetDouble(out var d) && Math.Floor(d) == d
            ? InferenceException.Invalid($"a value is out of range for {type.ToWireName()}")
            : InferenceException.Invalid($"input '{tensor}': {type.ToWireName()} needs integers, got a number with a fraction");
    }

    // Only exact below 2^53; larger whole doubles are refused rather than silently rounded.
    private static bool TryGetWholeDouble(JsonElement item, out double value) =>
        item.TryGetDouble(out value) && double.IsFinite(value) && Math.Floor(value) == value && Math.Abs(value) <= 9007199254740992d;

    private static float ReadSingle(JsonElement item, string tensor, RequestLimits limits)
    {
        if (item.ValueKind == JsonValueKind.String)
        {
            return (float)ReadNonFinite(item, tensor, limits, DataType.Fp32);
        }

        // TryGetSingle parses the literal straight to float, so a value written with "R" comes back bit-identical.
        if (item.ValueKind != JsonValueKind.Number)
        {
            throw Mismatch(tensor, DataType.Fp32);
        }

        if (!item.TryGetSingle(out var value) || !float.IsFinite(value))
        {
            throw InferenceException.Invalid("a value is out of range for FP32");
        }

        return value;
    }

    private static double ReadDouble(JsonElement item, string tensor, RequestLimits limits)
    {
        if (item.ValueKind == JsonValueKind.String)
        {
            return ReadNonFinite(item, tensor, limits, DataType.Fp64);
        }

        if (item.ValueKind != JsonValueKind.Number)
        {
            throw Mismatch(tensor, DataType.Fp64);
        }

        if (!item.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw InferenceException.Invalid("a value is out of range for FP64");
        }

        return value;
    }

    // JSON has no NaN/Infinity literals; Inferd reads them as these exact strings when the limit allows (row 13).
    private static double ReadNonFinite(JsonElement item, string tensor, RequestLimits limits, DataType type)
    {
        if (limits.AllowNonFiniteJsonInput)
        {
            if (item.ValueEquals("NaN"))
            {
                return double.NaN;
            }

            if (item.ValueEquals("Infinity"))
            {
                return double.PositiveInfinity;
            }

            if (item.ValueEquals("-Infinity"))
            {
                return double.NegativeInfinity;
            }
        }

        throw Mismatch(tensor, type);
    }

    private static byte[] DecodeBytes(JsonElement data, long count, string tensor)
    {
        var values = new List<string>((int)Math.Min(count, 1024));
        Collect(data, values, tensor);
        long total = 0;
        try
        {
            foreach (var value in values)
            {
                total = checked(total + 4 + StrictUtf8.GetByteCount(value));
            }
        }
        catch (EncoderFallbackException)
        {
            // A lone surrogate escape such as "\ud800" has no UTF-8 form.
            throw InferenceException.Invalid($"input '{tensor}': a BYTES string is not valid Unicode");
        }

        var buffer = new byte[total];
        var offset = 0;
        foreach (var value in values)
        {
            var written = StrictUtf8.GetBytes(value, buffer.AsSpan(offset + 4));
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)written);
            offset += 4 + written;
        }

        return buffer;
    }

    private static void Collect(JsonElement array, List<string> values, string tensor)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                Collect(item, values, tensor);
            }
            else if (item.ValueKind == JsonValueKind.String)
            {
                values.Add(GetStringStrict(item));
            }
            else
            {
                throw Mismatch(tensor, DataType.Bytes);
            }
        }
    }

    private static string GetStringStrict(JsonElement item)
    {
        try
        {
            return item.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw InferenceException.Invalid("a BYTES string is not valid UTF-8");
        }
    }

    private static InferenceException Mismatch(string tensor, DataType type) => type switch
    {
        DataType.Bool => InferenceException.Invalid($"input '{tensor}': BOOL elements must be true or false"),
        DataType.Bytes => InferenceException.Invalid($"input '{tensor}': BYTES elements must be JSON strings"),
        DataType.Fp32 or DataType.Fp64 => InferenceException.Invalid($"input '{tensor}': {type.ToWireName()} elements must be JSON numbers"),
        _ => InferenceException.Invalid($"input '{tensor}': {type.ToWireName()} elements must be JSON integers"),
    };
}

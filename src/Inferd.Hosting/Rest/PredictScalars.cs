using System.Buffers.Binary;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Converts one JSON leaf of a prediction field to one tensor element, strictly by the input's datatype: integers
/// must be integral and in range, floats finite (or the strings "NaN", "Infinity", "-Infinity" when the limits
/// allow them, as in the v2 JSON reader), BOOL true or false (bad-inputs.md rows 2 and 13).
/// </summary>
internal static class PredictScalars
{
    /// <summary>The TF Serving key of a base64-encoded BYTES value: <c>{"b64": "..."}</c>.</summary>
    public const string Base64Key = "b64";

    /// <summary>Writes <paramref name="leaf"/> as one element of <paramref name="type"/> at the start of <paramref name="destination"/>.</summary>
    public static void Write(JsonElement leaf, DataType type, Span<byte> destination, RequestLimits limits, int instance, string field)
    {
        switch (type)
        {
            case DataType.Bool:
                destination[0] = leaf.ValueKind switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => throw WrongType(instance, field, "true or false"),
                };
                break;
            case DataType.Fp32:
                var single = (float)ReadDouble(leaf, limits, instance, field);
                CheckFloatRange(single, leaf, instance, field);
                BinaryPrimitives.WriteSingleLittleEndian(destination, single);
                break;
            case DataType.Fp64:
                BinaryPrimitives.WriteDoubleLittleEndian(destination, ReadDouble(leaf, limits, instance, field));
                break;
            case DataType.Fp16:
                var half = (Half)ReadDouble(leaf, limits, instance, field);
                CheckFloatRange((float)half, leaf, instance, field);
                BinaryPrimitives.WriteHalfLittleEndian(destination, half);
                break;
            case DataType.Bf16:
                var wide = (float)ReadDouble(leaf, limits, instance, field);
                CheckFloatRange(wide, leaf, instance, field);
                BinaryPrimitives.WriteUInt16LittleEndian(destination, ToBFloat16(wide));
                break;
            case DataType.UInt64:
                if (leaf.ValueKind != JsonValueKind.Number || !leaf.TryGetUInt64(out var unsigned))
                {
                    throw WrongType(instance, field, "a non-negative integer");
                }

                BinaryPrimitives.WriteUInt64LittleEndian(destination, unsigned);
                break;
            default:
                WriteInteger(leaf, type, destination, instance, field);
                break;
        }
    }

    /// <summary>Writes the "missing" value of a float type: NaN.</summary>
    public static void WriteNaN(DataType type, Span<byte> destination)
    {
        switch (type)
        {
            case DataType.Fp32: BinaryPrimitives.WriteSingleLittleEndian(destination, float.NaN); break;
            case DataType.Fp64: BinaryPrimitives.WriteDoubleLittleEndian(destination, double.NaN); break;
            case DataType.Fp16: BinaryPrimitives.WriteHalfLittleEndian(destination, Half.NaN); break;
            default: throw new InvalidOperationException("only float types have a missing value");
        }
    }

    /// <summary>
    /// True when <paramref name="leaf"/> is <c>{"b64": "..."}</c>; <paramref name="decoded"/> is then the decoded
    /// bytes, or null when the text is not valid base64.
    /// </summary>
    public static bool TryReadBase64(JsonElement leaf, out byte[]? decoded)
    {
        decoded = null;
        if (leaf.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var count = 0;
        JsonElement text = default;
        foreach (var property in leaf.EnumerateObject())
        {
            count++;
            text = property.Value;
            if (!property.NameEquals(Base64Key))
            {
                return false;
            }
        }

        if (count != 1 || text.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        // Base64 only shrinks: the decoded bytes are at most 3/4 of the text, which the body cap already bounds.
        var value = text.GetString()!;
        var buffer = new byte[(value.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(value, buffer, out var written))
        {
            decoded = buffer.AsSpan(0, written).ToArray();
        }

        return true;
    }

    private static void WriteInteger(JsonElement leaf, DataType type, Span<byte> destination, int instance, string field)
    {
        if (leaf.ValueKind != JsonValueKind.Number || !leaf.TryGetInt64(out var value))
        {
            throw WrongType(instance, field, "an integer");
        }

        var (min, max) = type switch
        {
            DataType.UInt8 => (0L, (long)byte.MaxValue),
            DataType.UInt16 => (0L, (long)ushort.MaxValue),
            DataType.UInt32 => (0L, (long)uint.MaxValue),
            DataType.Int8 => ((long)sbyte.MinValue, (long)sbyte.MaxValue),
            DataType.Int16 => ((long)short.MinValue, (long)short.MaxValue),
            DataType.Int32 => ((long)int.MinValue, (long)int.MaxValue),
            DataType.Int64 => (long.MinValue, long.MaxValue),
            _ => throw new InvalidOperationException("not an integer type"),
        };
        if (value < min || value > max)
        {
            throw InferenceException.Invalid($"instance {instance}: field '{field}' is out of range for {type.ToWireName()}");
        }

        switch (type)
        {
            case DataType.UInt8: destination[0] = (byte)value; break;
            case DataType.Int8: destination[0] = unchecked((byte)(sbyte)value); break;
            case DataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)value); break;
            case DataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(destination, (short)value); break;
            case DataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)value); break;
            case DataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(destination, (int)value); break;
            default: BinaryPrimitives.WriteInt64LittleEndian(destination, value); break;
        }
    }

    private static double ReadDouble(JsonElement leaf, RequestLimits limits, int instance, string field)
    {
        if (leaf.ValueKind == JsonValueKind.Number && leaf.TryGetDouble(out var value) && double.IsFinite(value))
        {
            return value;
        }

        if (leaf.ValueKind == JsonValueKind.String && limits.AllowNonFiniteJsonInput)
        {
            if (leaf.ValueEquals("NaN"))
            {
                return double.NaN;
            }

            if (leaf.ValueEquals("Infinity"))
            {
                return double.PositiveInfinity;
            }

            if (leaf.ValueEquals("-Infinity"))
            {
                return double.NegativeInfinity;
            }
        }

        throw WrongType(instance, field, "a number");
    }

    // A finite JSON number that overflows the narrower type is refused, not turned into Infinity.
    private static void CheckFloatRange(float value, JsonElement leaf, int instance, string field)
    {
        if (float.IsInfinity(value) && leaf.ValueKind == JsonValueKind.Number)
        {
            throw InferenceException.Invalid($"instance {instance}: field '{field}' is out of range");
        }
    }

    // Round to nearest even, as PyTorch and ONNX Runtime convert float to bfloat16; NaN stays a quiet NaN.
    private static ushort ToBFloat16(float value)
    {
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        var bits = BitConverter.SingleToUInt32Bits(value);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }

    private static InferenceException WrongType(int instance, string field, string expected) =>
        InferenceException.Invalid($"instance {instance}: field '{field}' must be {expected}");
}

using System.Buffers.Binary;
using System.Text.Json;
using Inferd.Abstractions.Tensors;

namespace Inferd.Client.Internal;

/// <summary>
/// The JSON <c>data</c> form of tensors (protocol.md §4-§5): flat row-major arrays, BYTES as strings, BOOL as
/// true/false, non-finite floats as the strings "NaN", "Infinity" and "-Infinity".
/// </summary>
internal static class JsonTensorData
{
    /// <summary>Whether a datatype has a JSON form (FP16 and BF16 do not).</summary>
    public static bool HasJsonForm(DataType type) => type is not (DataType.Fp16 or DataType.Bf16 or DataType.Invalid);

    /// <summary>Writes the elements of <paramref name="tensor"/> as a flat JSON array.</summary>
    public static void Write(Utf8JsonWriter w, ClientTensor tensor)
    {
        w.WriteStartArray();
        switch (tensor.DataType)
        {
            case DataType.Bool:
                foreach (var v in tensor.AsBools())
                {
                    w.WriteBooleanValue(v);
                }

                break;
            case DataType.Bytes:
                foreach (var v in tensor.AsStrings())
                {
                    w.WriteStringValue(v);
                }

                break;
            case DataType.Fp32:
                foreach (var v in tensor.AsFloats())
                {
                    WriteFloat(w, v);
                }

                break;
            case DataType.Fp64:
                foreach (var v in tensor.AsDoubles())
                {
                    WriteDouble(w, v);
                }

                break;
            case DataType.UInt64:
                foreach (var v in tensor.AsUInt64s())
                {
                    w.WriteNumberValue(v);
                }

                break;
            case DataType.Int64:
                foreach (var v in tensor.AsInt64s())
                {
                    w.WriteNumberValue(v);
                }

                break;
            case DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.Int8 or DataType.Int16 or DataType.Int32:
                // Exact: every 8-32 bit integer fits a double.
                foreach (var v in tensor.ToDoubles())
                {
                    w.WriteNumberValue((long)v);
                }

                break;
            default:
                throw new InvalidOperationException($"tensor '{tensor.Name}': {tensor.DataType.ToWireName()} has no JSON form; send it in binary");
        }

        w.WriteEndArray();
    }

    /// <summary>Writes one FP32 value, non-finite values as strings.</summary>
    public static void WriteFloat(Utf8JsonWriter w, float v)
    {
        if (float.IsFinite(v))
        {
            w.WriteNumberValue(v);
        }
        else
        {
            w.WriteStringValue(NonFiniteName(v));
        }
    }

    /// <summary>Writes one FP64 value, non-finite values as strings.</summary>
    public static void WriteDouble(Utf8JsonWriter w, double v)
    {
        if (double.IsFinite(v))
        {
            w.WriteNumberValue(v);
        }
        else
        {
            w.WriteStringValue(NonFiniteName(v));
        }
    }

    /// <summary>
    /// Decodes a flat or nested JSON array into the binary layout; the element count must match the shape.
    /// </summary>
    /// <exception cref="FormatException">An element has the wrong JSON kind or is out of range, or the count is wrong.</exception>
    public static byte[] Read(JsonElement data, string name, DataType type, long expectedCount)
    {
        var elements = new List<JsonElement>();
        Flatten(data, elements, 0);
        if (elements.Count != expectedCount)
        {
            throw new FormatException($"tensor '{name}': data has {elements.Count} elements, the shape needs {expectedCount}");
        }

        if (type == DataType.Bytes)
        {
            var strings = new string[elements.Count];
            for (var i = 0; i < strings.Length; i++)
            {
                strings[i] = elements[i].ValueKind == JsonValueKind.String
                    ? elements[i].GetString()!
                    : throw new FormatException($"tensor '{name}': BYTES elements must be JSON strings");
            }

            return BytesTensor.EncodeStrings(strings);
        }

        var size = type.ElementSize();
        if (!HasJsonForm(type))
        {
            throw new FormatException($"tensor '{name}': {type.ToWireName()} has no JSON form");
        }

        var buffer = new byte[elements.Count * size];
        for (var i = 0; i < elements.Count; i++)
        {
            WriteElement(buffer.AsSpan(i * size, size), elements[i], name, type);
        }

        return buffer;
    }

    private static void Flatten(JsonElement e, List<JsonElement> into, int depth)
    {
        if (depth > 64)
        {
            throw new FormatException("tensor data is nested too deeply");
        }

        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var child in e.EnumerateArray())
            {
                Flatten(child, into, depth + 1);
            }
        }
        else
        {
            into.Add(e);
        }
    }

    private static void WriteElement(Span<byte> dst, JsonElement e, string name, DataType type)
    {
        switch (type)
        {
            case DataType.Bool:
                dst[0] = e.ValueKind switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => throw new FormatException($"tensor '{name}': BOOL elements must be true or false"),
                };
                break;
            case DataType.Fp32:
                BinaryPrimitives.WriteSingleLittleEndian(dst, (float)ReadDouble(e, name));
                break;
            case DataType.Fp64:
                BinaryPrimitives.WriteDoubleLittleEndian(dst, ReadDouble(e, name));
                break;
            case DataType.UInt64:
                BinaryPrimitives.WriteUInt64LittleEndian(dst, e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out var u) ? u : throw OutOfRange(name, type, e));
                break;
            case DataType.Int64:
                BinaryPrimitives.WriteInt64LittleEndian(dst, ReadInt64(e, name, type, long.MinValue, long.MaxValue));
                break;
            case DataType.UInt8:
                dst[0] = (byte)ReadInt64(e, name, type, byte.MinValue, byte.MaxValue);
                break;
            case DataType.UInt16:
                BinaryPrimitives.WriteUInt16LittleEndian(dst, (ushort)ReadInt64(e, name, type, ushort.MinValue, ushort.MaxValue));
                break;
            case DataType.UInt32:
                BinaryPrimitives.WriteUInt32LittleEndian(dst, (uint)ReadInt64(e, name, type, uint.MinValue, uint.MaxValue));
                break;
            case DataType.Int8:
                dst[0] = (byte)(sbyte)ReadInt64(e, name, type, sbyte.MinValue, sbyte.MaxValue);
                break;
            case DataType.Int16:
                BinaryPrimitives.WriteInt16LittleEndian(dst, (short)ReadInt64(e, name, type, short.MinValue, short.MaxValue));
                break;
            case DataType.Int32:
                BinaryPrimitives.WriteInt32LittleEndian(dst, (int)ReadInt64(e, name, type, int.MinValue, int.MaxValue));
                break;
            default:
                throw new FormatException($"tensor '{name}': {type.ToWireName()} has no JSON form");
        }
    }

    private static long ReadInt64(JsonElement e, string name, DataType type, long min, long max) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) && v >= min && v <= max ? v : throw OutOfRange(name, type, e);

    private static double ReadDouble(JsonElement e, string name)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            return e.GetDouble();
        }

        if (e.ValueKind == JsonValueKind.String)
        {
            switch (e.GetString())
            {
                case "NaN":
                    return double.NaN;
                case "Infinity" or "inf":
                    return double.PositiveInfinity;
                case "-Infinity" or "-inf":
                    return double.NegativeInfinity;
            }
        }

        throw new FormatException($"tensor '{name}': floating-point elements must be numbers or \"NaN\", \"Infinity\", \"-Infinity\"");
    }

    private static FormatException OutOfRange(string name, DataType type, JsonElement e)
    {
        var text = e.GetRawText();
        text = text.Length > 32 ? text[..32] + "..." : text;
        return new FormatException($"tensor '{name}': {text} is not a valid {type.ToWireName()} value");
    }

    private static string NonFiniteName(double v) =>
        double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
}

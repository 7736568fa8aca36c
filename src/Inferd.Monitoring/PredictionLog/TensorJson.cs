using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using TensorType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// Writes one tensor in the logged form (<see cref="PredictionRecord"/>): <c>datatype</c>, <c>shape</c> and
/// <c>data</c> flattened row-major. Non-finite floats are the strings <c>"NaN"</c>, <c>"Infinity"</c> and
/// <c>"-Infinity"</c> (JSON has no such numbers). BYTES elements are UTF-8 strings, or base64 for every element with
/// <c>"encoding":"base64"</c> when any element is not valid UTF-8.
/// </summary>
internal static class TensorJson
{
    /// <summary>How a tensor's values are kept.</summary>
    public enum Treatment
    {
        /// <summary>Values as they are.</summary>
        Plain,

        /// <summary>No values; <c>"redacted": true</c>.</summary>
        Redacted,

        /// <summary>Each value replaced by <c>"h:" + 32 hex digits</c> of HMAC-SHA256.</summary>
        Hashed,

        /// <summary>No values, the tensor being over the size cap; <c>"too_large": true</c>.</summary>
        TooLarge,
    }

    // A BYTES tensor with few elements can still be large (an encoded image is one element); past this many bytes it
    // is logged without data like any tensor over max_tensor_elements.
    public const int MaxBytesData = 64 * 1024;

    /// <summary>
    /// How <paramref name="tensor"/> is logged: redacted or hashed when its name is listed, too large past
    /// <paramref name="maxElements"/> elements (or <see cref="MaxBytesData"/> bytes of BYTES), else plain.
    /// </summary>
    public static Treatment Decide(InferenceTensor tensor, bool redact, bool hash, int maxElements)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (redact)
        {
            return Treatment.Redacted;
        }

        var count = tensor.ElementCount;
        if (count > maxElements || (tensor.DataType == TensorType.Bytes && tensor.Data.Length > MaxBytesData) || !HasAllElements(tensor, count))
        {
            return Treatment.TooLarge;
        }

        return hash ? Treatment.Hashed : Treatment.Plain;
    }

    /// <summary>Writes <paramref name="tensor"/> as the value of a property named after it, as <paramref name="treatment"/> says.</summary>
    public static void Write(Utf8JsonWriter w, InferenceTensor tensor, Treatment treatment, byte[] hashKey)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(tensor);
        w.WriteStartObject(tensor.Name);
        w.WriteString("datatype", tensor.DataType.ToWireName());
        w.WriteStartArray("shape");
        foreach (var d in tensor.Shape)
        {
            w.WriteNumberValue(d);
        }

        w.WriteEndArray();
        switch (treatment)
        {
            case Treatment.Redacted:
                w.WriteBoolean("redacted", true);
                break;
            case Treatment.TooLarge:
                w.WriteBoolean("too_large", true);
                break;
            case Treatment.Hashed:
                w.WriteBoolean("hashed", true);
                w.WriteStartArray("data");
                ForEachText(tensor, text => w.WriteStringValue(Hash(hashKey, text)));
                w.WriteEndArray();
                break;
            default:
                WriteData(w, tensor);
                break;
        }

        w.WriteEndObject();
    }

    /// <summary><c>"h:"</c> and the first 32 hex digits (128 bits) of HMAC-SHA256(key, value).</summary>
    public static string Hash(byte[] key, ReadOnlySpan<byte> value)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, value, mac);
        return "h:" + Convert.ToHexStringLower(mac[..16]);
    }

    private static bool HasAllElements(InferenceTensor tensor, long count)
    {
        // A tensor whose data does not match its shape (never after the facade's checks) is logged without data
        // rather than read past its end.
        var size = tensor.DataType.ElementSize();
        return tensor.DataType == TensorType.Bytes || (size > 0 && tensor.Data.Length == count * size);
    }

    private static void WriteData(Utf8JsonWriter w, InferenceTensor tensor)
    {
        var data = tensor.Data.Span;
        if (tensor.DataType == TensorType.Bytes)
        {
            var elements = BytesTensor.TryCountElements(data, out _) ? BytesTensor.Split(tensor.Data) : [];
            var utf8 = elements.All(e => IsUtf8(e.Span));
            if (!utf8)
            {
                w.WriteString("encoding", "base64");
            }

            w.WriteStartArray("data");
            foreach (var e in elements)
            {
                if (utf8)
                {
                    w.WriteStringValue(e.Span);
                }
                else
                {
                    w.WriteBase64StringValue(e.Span);
                }
            }

            w.WriteEndArray();
            return;
        }

        w.WriteStartArray("data");
        var size = tensor.DataType.ElementSize();
        for (var offset = 0; offset + size <= data.Length; offset += size)
        {
            var e = data.Slice(offset, size);
            switch (tensor.DataType)
            {
                case TensorType.Bool: w.WriteBooleanValue(e[0] != 0); break;
                case TensorType.UInt8: w.WriteNumberValue(e[0]); break;
                case TensorType.Int8: w.WriteNumberValue((sbyte)e[0]); break;
                case TensorType.UInt16: w.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(e)); break;
                case TensorType.Int16: w.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(e)); break;
                case TensorType.UInt32: w.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(e)); break;
                case TensorType.Int32: w.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(e)); break;
                case TensorType.UInt64: w.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(e)); break;
                case TensorType.Int64: w.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(e)); break;
                case TensorType.Fp16: WriteFloat(w, (float)BinaryPrimitives.ReadHalfLittleEndian(e)); break;
                case TensorType.Bf16: WriteFloat(w, BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(e) << 16)); break;
                case TensorType.Fp32: WriteFloat(w, BinaryPrimitives.ReadSingleLittleEndian(e)); break;
                case TensorType.Fp64: WriteDouble(w, BinaryPrimitives.ReadDoubleLittleEndian(e)); break;
                default: w.WriteNullValue(); break;
            }
        }

        w.WriteEndArray();
    }

    /// <summary>Calls <paramref name="action"/> with each element's text: its JSON form for numbers, its bytes for BYTES.</summary>
    private static void ForEachText(InferenceTensor tensor, Action<ReadOnlySpan<byte>> action)
    {
        if (tensor.DataType == TensorType.Bytes)
        {
            if (BytesTensor.TryCountElements(tensor.Data.Span, out _))
            {
                foreach (var e in BytesTensor.Split(tensor.Data))
                {
                    action(e.Span);
                }
            }

            return;
        }

        // The text the plain form shows, so equal values hash equally whatever the integer or float width.
        var size = tensor.DataType.ElementSize();
        for (var offset = 0; offset + size <= tensor.Data.Length; offset += size)
        {
            action(Encoding.UTF8.GetBytes(ElementText(tensor.Data.Span.Slice(offset, size), tensor.DataType)));
        }
    }

    private static string ElementText(ReadOnlySpan<byte> e, TensorType type) => type switch
    {
        TensorType.Bool => e[0] != 0 ? "true" : "false",
        TensorType.UInt8 => Text(e[0]),
        TensorType.Int8 => Text((sbyte)e[0]),
        TensorType.UInt16 => Text(BinaryPrimitives.ReadUInt16LittleEndian(e)),
        TensorType.Int16 => Text(BinaryPrimitives.ReadInt16LittleEndian(e)),
        TensorType.UInt32 => Text(BinaryPrimitives.ReadUInt32LittleEndian(e)),
        TensorType.Int32 => Text(BinaryPrimitives.ReadInt32LittleEndian(e)),
        TensorType.UInt64 => Text(BinaryPrimitives.ReadUInt64LittleEndian(e)),
        TensorType.Int64 => Text(BinaryPrimitives.ReadInt64LittleEndian(e)),
        TensorType.Fp16 => FloatText((float)BinaryPrimitives.ReadHalfLittleEndian(e)),
        TensorType.Bf16 => FloatText(BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(e) << 16)),
        TensorType.Fp32 => FloatText(BinaryPrimitives.ReadSingleLittleEndian(e)),
        TensorType.Fp64 => double.IsFinite(BinaryPrimitives.ReadDoubleLittleEndian(e))
            ? BinaryPrimitives.ReadDoubleLittleEndian(e).ToString(CultureInfo.InvariantCulture)
            : NonFinite(BinaryPrimitives.ReadDoubleLittleEndian(e)),
        _ => "null",
    };

    private static string Text<T>(T value)
        where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    // Shortest round-trip text, as Utf8JsonWriter writes the number; 2.0f is "2" in both.
    private static string FloatText(float value) => float.IsFinite(value) ? value.ToString(CultureInfo.InvariantCulture) : NonFinite(value);

    private static void WriteFloat(Utf8JsonWriter w, float value)
    {
        if (float.IsFinite(value))
        {
            w.WriteNumberValue(value);
        }
        else
        {
            w.WriteStringValue(NonFinite(value));
        }
    }

    private static void WriteDouble(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumberValue(value);
        }
        else
        {
            w.WriteStringValue(NonFinite(value));
        }
    }

    private static string NonFinite(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    private static bool IsUtf8(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);
}

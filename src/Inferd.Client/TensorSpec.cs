using System.Globalization;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Client.Internal;

namespace Inferd.Client;

/// <summary>
/// Parses the command-line tensor form <c>NAME:DATATYPE:SHAPE:VALUES</c>, e.g. <c>INPUT0:INT32:1,4:1,2,3,4</c> or
/// <c>text:BYTES:2:["a,b","c"]</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>NAME may itself contain colons (<c>input_1:0</c>): the first field that is a datatype followed by a shape ends it.</item>
/// <item>SHAPE is comma-separated, optionally in brackets (<c>[1,4]</c>); empty means a scalar.</item>
/// <item>VALUES is comma-separated in row-major order, or a JSON array (flat or nested) when it starts with <c>[</c>,
/// which lets BYTES values contain commas. Floats accept <c>nan</c>, <c>inf</c> and <c>-inf</c>; BOOL accepts
/// <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c>.</item>
/// </list>
/// </remarks>
public static class TensorSpec
{
    /// <summary>Parses one tensor specification.</summary>
    /// <exception cref="FormatException">The text is not a valid specification; the message says which part is wrong.</exception>
    public static ClientTensor Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(':');
        for (var k = 1; k + 2 <= parts.Length - 1; k++)
        {
            if (DataTypes.TryParseWireName(parts[k].Trim().ToUpperInvariant(), out var type) && TryParseShape(parts[k + 1], out var shape))
            {
                var name = string.Join(':', parts[..k]);
                if (name.Length == 0)
                {
                    throw new FormatException($"'{Shorten(spec)}': the tensor name is empty");
                }

                return Build(name, type, shape, string.Join(':', parts[(k + 2)..]));
            }
        }

        throw new FormatException(
            $"'{Shorten(spec)}' is not NAME:DATATYPE:SHAPE:VALUES (DATATYPE one of {string.Join(", ", DataTypes.All.Select(t => t.ToWireName()))}; SHAPE like 1,16)");
    }

    private static ClientTensor Build(string name, DataType type, long[] shape, string values)
    {
        if (!TensorShape.TryGetElementCount(shape, out var count))
        {
            throw new FormatException($"input '{name}': shape {TensorShape.Format(shape)} is too large");
        }

        byte[] data;
        var trimmed = values.Trim();
        if (trimmed.StartsWith('[') && type is not (DataType.Fp16 or DataType.Bf16))
        {
            try
            {
                using var doc = JsonDocument.Parse(trimmed);
                data = JsonTensorData.Read(doc.RootElement, name, type, count);
            }
            catch (JsonException e)
            {
                throw new FormatException($"input '{name}': the values are not a valid JSON array: {e.Message}", e);
            }
        }
        else
        {
            var items = trimmed.StartsWith('[') ? trimmed.Trim('[', ']').Split(',') : values.Split(',');
            if (trimmed.Length == 0)
            {
                items = [];
            }

            if (items.Length != count)
            {
                throw new FormatException($"input '{name}': {items.Length} values given, shape {TensorShape.Format(shape)} needs {count}");
            }

            data = type == DataType.Bytes ? BytesTensor.EncodeStrings(items) : EncodeNumbers(name, type, items);
        }

        return new ClientTensor(name, type, shape, data);
    }

    private static byte[] EncodeNumbers(string name, DataType type, string[] items)
    {
        var size = type.ElementSize();
        var buffer = new byte[items.Length * size];
        for (var i = 0; i < items.Length; i++)
        {
            var text = items[i].Trim();
            var dst = buffer.AsSpan(i * size, size);
            if (!TryEncode(type, text, dst))
            {
                throw new FormatException($"input '{name}': value {i} '{Shorten(text)}' is not a valid {type.ToWireName()}");
            }
        }

        return buffer;
    }

    private static bool TryEncode(DataType type, string text, Span<byte> dst)
    {
        const NumberStyles Integer = NumberStyles.AllowLeadingSign;
        var inv = CultureInfo.InvariantCulture;
        switch (type)
        {
            case DataType.Bool:
                switch (text.ToLowerInvariant())
                {
                    case "true" or "1":
                        dst[0] = 1;
                        return true;
                    case "false" or "0":
                        dst[0] = 0;
                        return true;
                    default:
                        return false;
                }

            case DataType.UInt8:
                return byte.TryParse(text, Integer, inv, out var u8) && Write(dst, u8);
            case DataType.UInt16:
                return ushort.TryParse(text, Integer, inv, out var u16) && Write(dst, u16);
            case DataType.UInt32:
                return uint.TryParse(text, Integer, inv, out var u32) && Write(dst, u32);
            case DataType.UInt64:
                return ulong.TryParse(text, Integer, inv, out var u64) && Write(dst, u64);
            case DataType.Int8:
                return sbyte.TryParse(text, Integer, inv, out var i8) && Write(dst, i8);
            case DataType.Int16:
                return short.TryParse(text, Integer, inv, out var i16) && Write(dst, i16);
            case DataType.Int32:
                return int.TryParse(text, Integer, inv, out var i32) && Write(dst, i32);
            case DataType.Int64:
                return long.TryParse(text, Integer, inv, out var i64) && Write(dst, i64);
            case DataType.Fp16:
                return TryParseFloat(text, out var h) && Write(dst, (Half)h);
            case DataType.Fp32:
                return TryParseFloat(text, out var f) && Write(dst, (float)f);
            case DataType.Fp64:
                return TryParseFloat(text, out var d) && Write(dst, d);
            case DataType.Bf16:
                return TryParseFloat(text, out var b) && Write(dst, BFloat16.FromSingle((float)b));
            default:
                return false;
        }
    }

    private static bool Write<T>(Span<byte> dst, T value)
        where T : unmanaged
    {
        LittleEndian.Require();
        System.Runtime.InteropServices.MemoryMarshal.Write(dst, in value);
        return true;
    }

    private static bool TryParseFloat(string text, out double value)
    {
        switch (text.ToLowerInvariant())
        {
            case "nan":
                value = double.NaN;
                return true;
            case "inf" or "+inf" or "infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static bool TryParseShape(string text, out long[] shape)
    {
        var t = text.Trim();
        if (t.StartsWith('[') && t.EndsWith(']'))
        {
            t = t[1..^1];
        }

        shape = [];
        if (t.Trim().Length == 0)
        {
            return true;
        }

        var dims = t.Split(',');
        var result = new long[dims.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            if (!long.TryParse(dims[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out result[i]))
            {
                return false;
            }
        }

        shape = result;
        return true;
    }

    private static string Shorten(string s) => s.Length > 60 ? s[..60] + "..." : s;
}

using System.Buffers;
using System.Text.Json;
using Inferd.Abstractions.Tensors;

namespace Inferd.Client.Internal;

/// <summary>Builds REST inference bodies and decodes REST inference answers (protocol.md §4 and §6).</summary>
internal static class RestInferCodec
{
    /// <summary>The request body and, when binary parts follow the JSON, the JSON length for the header.</summary>
    public readonly record struct Body(byte[] Content, int? JsonLength);

    public static Body BuildRequest(ClientInferRequest request)
    {
        var json = new ArrayBufferWriter<byte>(1024);
        var binary = new List<ClientTensor>();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            if (!string.IsNullOrEmpty(request.Id))
            {
                w.WriteString("id", request.Id);
            }

            var askBinaryForAll = request.Binary && request.Outputs.Count == 0;
            if (request.Parameters.Count > 0 || askBinaryForAll)
            {
                w.WriteStartObject("parameters");
                foreach (var (key, value) in request.Parameters)
                {
                    WriteParameter(w, key, value);
                }

                if (askBinaryForAll)
                {
                    w.WriteBoolean("binary_data_output", true);
                }

                w.WriteEndObject();
            }

            w.WriteStartArray("inputs");
            foreach (var input in request.Inputs)
            {
                w.WriteStartObject();
                w.WriteString("name", input.Name);
                WriteShape(w, input.Shape);
                w.WriteString("datatype", input.DataType.ToWireName());
                if (request.Binary || !JsonTensorData.HasJsonForm(input.DataType))
                {
                    w.WriteStartObject("parameters");
                    w.WriteNumber("binary_data_size", input.Data.Length);
                    w.WriteEndObject();
                    binary.Add(input);
                }
                else
                {
                    w.WritePropertyName("data");
                    JsonTensorData.Write(w, input);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (request.Outputs.Count > 0)
            {
                w.WriteStartArray("outputs");
                foreach (var output in request.Outputs)
                {
                    w.WriteStartObject();
                    w.WriteString("name", output.Name);
                    w.WriteStartObject("parameters");
                    w.WriteBoolean("binary_data", request.Binary);
                    if (output.ClassificationCount is { } n)
                    {
                        w.WriteNumber("classification", n);
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        if (binary.Count == 0)
        {
            return new Body(json.WrittenSpan.ToArray(), null);
        }

        var total = (long)json.WrittenCount + binary.Sum(t => (long)t.Data.Length);
        if (total > Array.MaxLength)
        {
            throw new ArgumentException("the request body would exceed 2 GiB", nameof(request));
        }

        var content = new byte[total];
        json.WrittenSpan.CopyTo(content);
        var offset = json.WrittenCount;
        foreach (var t in binary)
        {
            t.Data.Span.CopyTo(content.AsSpan(offset));
            offset += t.Data.Length;
        }

        return new Body(content, json.WrittenCount);
    }

    /// <summary>Decodes an inference answer; <paramref name="jsonLength"/> is the header value, null when absent.</summary>
    /// <exception cref="FormatException">The answer does not follow the protocol.</exception>
    public static ClientInferResponse ParseResponse(ReadOnlyMemory<byte> body, long? jsonLength)
    {
        var headerLength = jsonLength ?? body.Length;
        if (headerLength < 0 || headerLength > body.Length)
        {
            throw new FormatException($"Inference-Header-Content-Length {headerLength} does not fit the {body.Length}-byte body");
        }

        var binary = body[(int)headerLength..];
        using var doc = JsonDocument.Parse(body[..(int)headerLength]);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the response is not a JSON object");
        }

        var outputs = new List<ClientTensor>();
        var offset = 0;
        if (root.TryGetProperty("outputs", out var outs))
        {
            foreach (var o in outs.EnumerateArray())
            {
                outputs.Add(ReadOutput(o, binary, ref offset));
            }
        }

        if (offset != binary.Length)
        {
            throw new FormatException($"the response carries {binary.Length} binary bytes but its outputs declare {offset}");
        }

        return new ClientInferResponse(
            GetString(root, "model_name"),
            GetString(root, "model_version"),
            GetString(root, "id"),
            outputs,
            ReadParameters(root));
    }

    /// <summary>Reads a <c>parameters</c> object into CLR values (string, bool, long, ulong or double).</summary>
    public static IReadOnlyDictionary<string, object> ReadParameters(JsonElement owner)
    {
        var result = new Dictionary<string, object>();
        if (!owner.TryGetProperty("parameters", out var p) || p.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        foreach (var prop in p.EnumerateObject())
        {
            var v = prop.Value;
            object? value = v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when v.TryGetInt64(out var l) => l,
                JsonValueKind.Number when v.TryGetUInt64(out var u) => u,
                JsonValueKind.Number => v.GetDouble(),
                _ => null,
            };
            if (value is not null)
            {
                result[prop.Name] = value;
            }
        }

        return result;
    }

    /// <summary>Writes one <c>$parameter</c>.</summary>
    public static void WriteParameter(Utf8JsonWriter w, string key, object value)
    {
        switch (value)
        {
            case string s:
                w.WriteString(key, s);
                break;
            case bool b:
                w.WriteBoolean(key, b);
                break;
            case int i:
                w.WriteNumber(key, i);
                break;
            case long l:
                w.WriteNumber(key, l);
                break;
            case ulong u:
                w.WriteNumber(key, u);
                break;
            case double d:
                w.WriteNumber(key, d);
                break;
            default:
                throw new ArgumentException($"parameter '{key}': {value.GetType().Name} is not a string, bool, integer or double");
        }
    }

    private static ClientTensor ReadOutput(JsonElement o, ReadOnlyMemory<byte> binary, ref int offset)
    {
        var name = GetString(o, "name");
        var typeName = GetString(o, "datatype");
        if (!DataTypes.TryParseWireName(typeName, out var type))
        {
            throw new FormatException($"output '{name}': unknown datatype '{typeName}'");
        }

        var shape = o.TryGetProperty("shape", out var s) ? s.EnumerateArray().Select(d => d.GetInt64()).ToArray() : [];
        if (!TensorShape.TryGetElementCount(shape, out var count))
        {
            throw new FormatException($"output '{name}': invalid shape {TensorShape.Format(shape)}");
        }

        var parameters = ReadParameters(o);
        ReadOnlyMemory<byte> data;
        if (parameters.TryGetValue("binary_data_size", out var sizeValue))
        {
            var size = sizeValue is long l ? l : -1;
            if (size < 0 || size > binary.Length - offset)
            {
                throw new FormatException($"output '{name}': binary_data_size {sizeValue} runs past the end of the body");
            }

            data = binary.Slice(offset, (int)size);
            offset += (int)size;
        }
        else if (o.TryGetProperty("data", out var d))
        {
            data = JsonTensorData.Read(d, name, type, count);
        }
        else
        {
            throw new FormatException($"output '{name}' has neither data nor binary_data_size");
        }

        try
        {
            return new ClientTensor(name, type, shape, data);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static void WriteShape(Utf8JsonWriter w, long[] shape)
    {
        w.WriteStartArray("shape");
        foreach (var d in shape)
        {
            w.WriteNumberValue(d);
        }

        w.WriteEndArray();
    }

    private static string GetString(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
}

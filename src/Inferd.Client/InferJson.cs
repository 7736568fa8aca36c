using System.Buffers;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Client.Internal;

namespace Inferd.Client;

/// <summary>
/// The JSON form of inference requests and responses (<c>$inference_request</c> / <c>$inference_response</c>,
/// protocol.md §4) for files and display: tensors carry their values in <c>data</c>.
/// </summary>
public static class InferJson
{
    /// <summary>
    /// Parses a v2 JSON request such as <c>{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}</c>.
    /// <c>id</c>, request <c>parameters</c> and <c>outputs</c> (with an optional <c>classification</c> parameter) are
    /// kept; binary-extension parameters are refused because a JSON file has no binary part.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid request; the message names the field.</exception>
    public static ClientInferRequest ParseRequest(string modelName, string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new FormatException("the request is not valid JSON: " + e.Message, e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the request must be an object with an \"inputs\" array");
            }

            var tensors = inputs.EnumerateArray().Select(ReadInput).ToArray();
            var outputs = root.TryGetProperty("outputs", out var outs) && outs.ValueKind == JsonValueKind.Array
                ? outs.EnumerateArray().Select(ReadOutput).ToArray()
                : [];
            var parameters = RestInferCodec.ReadParameters(root)
                .Where(p => p.Key != "binary_data_output")
                .ToDictionary(p => p.Key, p => p.Value);
            return new ClientInferRequest(modelName, tensors)
            {
                Id = root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
                Outputs = outputs,
                Parameters = parameters,
            };
        }
    }

    /// <summary>
    /// Formats a response as v2 JSON with every output's values in <c>data</c>. FP16 and BF16 values, which have no
    /// JSON form on the wire, are written as numbers for reading; non-finite floats as "NaN"/"Infinity"/"-Infinity".
    /// </summary>
    public static string FormatResponse(ClientInferResponse response, bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteString("model_name", response.ModelName);
            if (response.ModelVersion.Length > 0)
            {
                w.WriteString("model_version", response.ModelVersion);
            }

            if (response.Id.Length > 0)
            {
                w.WriteString("id", response.Id);
            }

            if (response.Parameters.Count > 0)
            {
                w.WriteStartObject("parameters");
                foreach (var (key, value) in response.Parameters)
                {
                    RestInferCodec.WriteParameter(w, key, value);
                }

                w.WriteEndObject();
            }

            w.WriteStartArray("outputs");
            foreach (var o in response.Outputs)
            {
                w.WriteStartObject();
                w.WriteString("name", o.Name);
                w.WriteString("datatype", o.DataType.ToWireName());
                w.WriteStartArray("shape");
                foreach (var d in o.Shape)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
                w.WritePropertyName("data");
                if (JsonTensorData.HasJsonForm(o.DataType))
                {
                    JsonTensorData.Write(w, o);
                }
                else
                {
                    w.WriteStartArray();
                    foreach (var v in o.ToDoubles())
                    {
                        JsonTensorData.WriteDouble(w, v);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ClientTensor ReadInput(JsonElement e)
    {
        var name = e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        if (name.Length == 0)
        {
            throw new FormatException("every input needs a \"name\"");
        }

        var typeName = e.TryGetProperty("datatype", out var dt) && dt.ValueKind == JsonValueKind.String ? dt.GetString() : null;
        if (!DataTypes.TryParseWireName(typeName, out var type))
        {
            throw new FormatException($"input '{name}': \"datatype\" must be one of {string.Join(", ", DataTypes.All.Select(t => t.ToWireName()))}");
        }

        if (!e.TryGetProperty("shape", out var s) || s.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"input '{name}': \"shape\" must be an array of dimensions");
        }

        var shape = s.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var v) && v >= 0
            ? v
            : throw new FormatException($"input '{name}': shape dimensions must be non-negative integers")).ToArray();
        if (!TensorShape.TryGetElementCount(shape, out var count))
        {
            throw new FormatException($"input '{name}': shape {TensorShape.Format(shape)} is too large");
        }

        if (e.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("binary_data_size", out _))
        {
            throw new FormatException($"input '{name}': binary_data_size needs a binary body; put the values in \"data\"");
        }

        if (!e.TryGetProperty("data", out var data))
        {
            throw new FormatException($"input '{name}' has no \"data\"");
        }

        return new ClientTensor(name, type, shape, JsonTensorData.Read(data, name, type, count));
    }

    private static ClientRequestedOutput ReadOutput(JsonElement e)
    {
        var name = e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        if (name.Length == 0)
        {
            throw new FormatException("every output needs a \"name\"");
        }

        int? classification = null;
        if (e.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("classification", out var c))
        {
            classification = c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var k) && k > 0
                ? k
                : throw new FormatException($"output '{name}': classification must be a positive integer");
        }

        return new ClientRequestedOutput(name, classification);
    }
}

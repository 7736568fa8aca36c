using System.Globalization;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Reads the body of <c>POST v2/models/{m}[/versions/{v}]/infer</c>: plain JSON, JSON plus binary tensors (the
/// binary data extension) or a raw binary body (protocol.md §6). Everything is validated before any tensor
/// buffer is allocated (bad-inputs.md rows 1–6, 11–14, 21).
/// </summary>
internal static class InferRequestReader
{
    /// <summary>Header carrying the length of the JSON part of a body with binary tensors.</summary>
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    /// <summary>Request parameter that makes binary the default for every output.</summary>
    public const string BinaryDataOutput = "binary_data_output";

    /// <summary>Input parameter with the byte count of a binary tensor.</summary>
    public const string BinaryDataSize = "binary_data_size";

    /// <summary>Reads a request.</summary>
    /// <param name="body">
    /// The whole body. Ownership: binary tensors are slices of it (no copy), so it must stay alive and unchanged
    /// until the request completes.
    /// </param>
    /// <param name="headerLength">The <c>Inference-Header-Content-Length</c> value as sent, or null when absent.</param>
    /// <param name="modelName">Model from the route.</param>
    /// <param name="version">Version from the route, or null.</param>
    /// <param name="limits">Request limits.</param>
    /// <param name="rawInput">Called only for a raw binary body, to learn the model's single input.</param>
    public static InferenceRequest Read(
        ReadOnlyMemory<byte> body,
        string? headerLength,
        string modelName,
        string? version,
        RequestLimits limits,
        Func<RawInputSpec> rawInput)
    {
        var jsonLength = ParseHeaderLength(headerLength, body.Length);
        if (jsonLength == 0)
        {
            return RawRequestReader.Read(body, modelName, version, limits, rawInput());
        }

        var options = new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth };
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body[..(int)jsonLength], options);
        }
        catch (JsonException)
        {
            // The parser's message may quote the payload, so it is not passed on (bad-inputs.md row 12).
            throw InferenceException.Invalid($"the request is not valid JSON, or is nested deeper than {limits.MaxJsonDepth} levels");
        }

        using (document)
        {
            return ReadDocument(document.RootElement, body[(int)jsonLength..], modelName, version, limits);
        }
    }

    /// <summary>Parses the header length: a non-negative integer no larger than the body; the whole body when absent.</summary>
    internal static long ParseHeaderLength(string? value, long bodyLength)
    {
        if (value is null)
        {
            return bodyLength == 0 ? throw InferenceException.Invalid("the request body is empty") : bodyLength;
        }

        // NumberStyles.None: no sign, no blanks, no exponent; 99999999999 parses and then fails the bound check.
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw InferenceException.Invalid($"{HeaderLengthHeader} must be a non-negative integer");
        }

        if (length > bodyLength)
        {
            throw InferenceException.Invalid($"{HeaderLengthHeader} is larger than the request body");
        }

        return length;
    }

    private static InferenceRequest ReadDocument(JsonElement root, ReadOnlyMemory<byte> binary, string modelName, string? version, RequestLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw InferenceException.Invalid("the request must be a JSON object");
        }

        string? id = null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind != JsonValueKind.String)
            {
                throw InferenceException.Invalid("'id' must be a string");
            }

            id = idElement.GetString();
            if (id!.Length > limits.MaxParameterLength)
            {
                throw InferenceException.Invalid($"'id' is longer than {limits.MaxParameterLength} characters");
            }
        }

        var parameters = JsonParameters.Read(Optional(root, "parameters"), limits, "request");
        var headers = ReadInputHeaders(root, limits);
        var outputs = ReadOutputs(Optional(root, "outputs"), limits);
        var inputs = BuildInputs(headers, binary, limits);
        return new InferenceRequest(modelName, version, id, inputs, outputs, parameters);
    }

    private static JsonElement Optional(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : default;

    private static List<InputHeader> ReadInputHeaders(JsonElement root, RequestLimits limits)
    {
        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
        {
            throw InferenceException.Invalid("'inputs' must be a JSON array");
        }

        var count = inputs.GetArrayLength();
        if (count > limits.MaxInputsPerRequest)
        {
            throw InferenceException.Invalid($"more than {limits.MaxInputsPerRequest} inputs");
        }

        var result = new List<InputHeader>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs.EnumerateArray())
        {
            var header = InputHeader.Read(input, limits);
            if (!names.Add(header.Name))
            {
                throw InferenceException.Invalid($"input '{header.Name}' appears more than once");
            }

            result.Add(header);
        }

        return result;
    }

    private static List<RequestedOutput> ReadOutputs(JsonElement outputs, RequestLimits limits)
    {
        if (outputs.ValueKind == JsonValueKind.Undefined)
        {
            return [];
        }

        if (outputs.ValueKind != JsonValueKind.Array)
        {
            throw InferenceException.Invalid("'outputs' must be a JSON array");
        }

        if (outputs.GetArrayLength() > limits.MaxOutputsPerRequest)
        {
            throw InferenceException.Invalid($"more than {limits.MaxOutputsPerRequest} outputs requested");
        }

        var result = new List<RequestedOutput>(outputs.GetArrayLength());
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in outputs.EnumerateArray())
        {
            if (output.ValueKind != JsonValueKind.Object)
            {
                throw InferenceException.Invalid("each output must be a JSON object");
            }

            var name = InputHeader.ReadName(output, limits, "output");
            if (!names.Add(name))
            {
                throw InferenceException.Invalid($"output '{name}' is requested more than once");
            }

            // binary_data and classification stay here; the response writer and the facade read them.
            result.Add(new RequestedOutput(name, JsonParameters.Read(Optional(output, "parameters"), limits, $"output '{name}'")));
        }

        return result;
    }

    private static List<InferenceTensor> BuildInputs(List<InputHeader> headers, ReadOnlyMemory<byte> binary, RequestLimits limits)
    {
        // Check the binary part as a whole before slicing: header + Σ binary_data_size == body length (row 6).
        long declared = 0;
        foreach (var header in headers)
        {
            if (header.BinarySize is { } size)
            {
                declared = checked(declared + size);
            }
        }

        if (declared != binary.Length)
        {
            throw InferenceException.Invalid(
                $"the binary part of the body holds {binary.Length} bytes but the inputs declare {declared} (check {HeaderLengthHeader} and binary_data_size)");
        }

        var result = new List<InferenceTensor>(headers.Count);
        var offset = 0;
        foreach (var header in headers)
        {
            ReadOnlyMemory<byte> data;
            if (header.BinarySize is { } size)
            {
                data = binary.Slice(offset, (int)size);
                offset += (int)size;
                CheckBinary(header, data.Span);
            }
            else
            {
                data = JsonTensorDecoder.Decode(header.Data, header.DataType, header.ElementCount, header.Name, limits);
            }

            result.Add(new InferenceTensor(header.Name, header.DataType, header.Shape, data));
        }

        return result;
    }

    private static void CheckBinary(InputHeader header, ReadOnlySpan<byte> data)
    {
        if (header.DataType == DataType.Bytes)
        {
            if (!BytesTensor.TryCountElements(data, out var count))
            {
                throw InferenceException.Invalid($"input '{header.Name}': a BYTES length prefix runs past the end of its data");
            }

            if (count != header.ElementCount)
            {
                throw InferenceException.Invalid($"input '{header.Name}': expected {header.ElementCount} elements, got {count}");
            }

            return;
        }

        var expected = checked(header.ElementCount * header.DataType.ElementSize());
        if (data.Length != expected)
        {
            throw InferenceException.Invalid(
                $"input '{header.Name}': binary_data_size is {data.Length} but shape and datatype need {expected} bytes");
        }
    }
}

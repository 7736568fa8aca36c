using System.Net.Http.Headers;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Reads the body of <c>POST v1/models/{m}[/versions/{v}]:predict</c> (KServe v1 / TF Serving row format) into
/// one v2 request: JSON <c>{"instances": [...]}</c>, a <c>multipart/form-data</c> instance, or a raw body for a
/// model with one BYTES input. Fields map to inputs by name; instances stack along the batch dimension.
/// </summary>
internal static class PredictRequestReader
{
    private static readonly HashSet<string> RawMediaTypes = new(StringComparer.OrdinalIgnoreCase) { "application/octet-stream", "text/plain" };

    /// <summary>Reads and converts a request; throws InvalidInput (400) or 415 for an unsupported content type.</summary>
    /// <param name="body">The whole body. Ownership: not referenced by the returned tensors, which own copies.</param>
    /// <param name="contentType">The Content-Type header, or null.</param>
    /// <param name="version">Version from the route, or null.</param>
    /// <param name="metadata">The model's metadata: input names, datatypes and shapes.</param>
    /// <param name="maxBatchSize">The model's max_batch_size; 0 when it does not batch.</param>
    /// <param name="limits">Request limits.</param>
    /// <returns>The v2 request and the number of instances in it.</returns>
    /// <param name="cancellationToken">Cancels reading.</param>
    public static async Task<(InferenceRequest Request, int Instances)> ReadAsync(
        ReadOnlyMemory<byte> body,
        string? contentType,
        string? version,
        ModelMetadata metadata,
        int maxBatchSize,
        RequestLimits limits,
        CancellationToken cancellationToken)
    {
        if (body.IsEmpty)
        {
            throw InferenceException.Invalid("the request body is empty");
        }

        var mediaType = MediaType(contentType);
        // curl -d sends application/x-www-form-urlencoded; like the v2 routes, that body is read as JSON.
        if (mediaType is null || mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return ReadJson(body, version, metadata, maxBatchSize, limits);
        }

        var documents = new List<JsonDocument>();
        try
        {
            Dictionary<string, PredictField> instance;
            if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                instance = await PredictMultipartReader.ReadAsync(body, contentType!, metadata, limits, documents, cancellationToken);
            }
            else if (RawMediaTypes.Contains(mediaType) || mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            {
                if (metadata.Inputs.Count != 1 || metadata.Inputs[0].DataType != DataType.Bytes)
                {
                    throw InferenceException.Invalid($"a raw {mediaType} body needs a model with exactly one BYTES input; send JSON {{\"instances\": [...]}} instead");
                }

                instance = new Dictionary<string, PredictField>(StringComparer.Ordinal) { [metadata.Inputs[0].Name] = PredictField.FromBytes(body) };
            }
            else
            {
                throw new RestStatusException(415,
                    "unsupported Content-Type; send application/json, multipart/form-data, or a raw image/*, application/octet-stream or text/plain body");
            }

            var request = Build([instance], version, metadata, maxBatchSize, limits, JsonParameters.None, []);
            return (request, 1);
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    private static string? MediaType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        return MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType is { } media
            ? media
            : throw InferenceException.Invalid("the Content-Type header is malformed");
    }

    private static (InferenceRequest, int) ReadJson(ReadOnlyMemory<byte> body, string? version, ModelMetadata metadata, int maxBatchSize, RequestLimits limits)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException)
        {
            // The parser's message may quote the payload, so it is not passed on (bad-inputs.md row 12).
            throw InferenceException.Invalid($"the request is not valid JSON, or is nested deeper than {limits.MaxJsonDepth} levels");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw InferenceException.Invalid("the request must be a JSON object with \"instances\"");
            }

            JsonElement instances = default, parameters = default, outputs = default;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "instances": instances = property.Value; break;
                    case "parameters": parameters = property.Value.ValueKind == JsonValueKind.Null ? default : property.Value; break;
                    case "outputs": outputs = property.Value.ValueKind == JsonValueKind.Null ? default : property.Value; break;
                    case "signature_name": break; // TF Serving clients send it; a model has one signature here.
                    default:
                        throw InferenceException.Invalid(
                            $"unknown request field '{PredictTensorBuilder.Clip(property.Name)}'; a prediction request has \"instances\", \"parameters\" and \"outputs\"");
                }
            }

            if (instances.ValueKind != JsonValueKind.Array)
            {
                throw InferenceException.Invalid("\"instances\" must be a JSON array");
            }

            var count = instances.GetArrayLength();
            CheckInstanceCount(count, maxBatchSize);
            var rows = new List<IReadOnlyDictionary<string, PredictField>>(count);
            var index = 0;
            foreach (var instance in instances.EnumerateArray())
            {
                rows.Add(ReadInstance(instance, index++, metadata));
            }

            var requestParameters = JsonParameters.Read(parameters, limits, "request");
            var request = Build(rows, version, metadata, maxBatchSize, limits, requestParameters, ReadOutputs(outputs, limits));
            return (request, count);
        }
    }

    private static void CheckInstanceCount(int count, int maxBatchSize)
    {
        if (count == 0)
        {
            throw InferenceException.Invalid("\"instances\" is empty");
        }

        if (maxBatchSize == 0 && count > 1)
        {
            throw InferenceException.Invalid($"the model does not batch (max_batch_size 0), so a request holds one instance, not {count}");
        }

        if (maxBatchSize > 0 && count > maxBatchSize)
        {
            throw InferenceException.Invalid($"{count} instances exceed the model's max_batch_size of {maxBatchSize}; split the request");
        }
    }

    private static Dictionary<string, PredictField> ReadInstance(JsonElement instance, int index, ModelMetadata metadata)
    {
        var single = metadata.Inputs.Count == 1 ? metadata.Inputs[0].Name : null;
        var bareBase64 = single is not null && single != PredictScalars.Base64Key && PredictScalars.TryReadBase64(instance, out _);
        if (instance.ValueKind != JsonValueKind.Object || bareBase64)
        {
            if (single is null)
            {
                throw InferenceException.Invalid($"instance {index} must be a JSON object of named fields: the model has {metadata.Inputs.Count} inputs");
            }

            return new Dictionary<string, PredictField>(StringComparer.Ordinal) { [single] = PredictField.FromJson(instance) };
        }

        var fields = new Dictionary<string, PredictField>(StringComparer.Ordinal);
        foreach (var property in instance.EnumerateObject())
        {
            if (!metadata.Inputs.Any(i => i.Name == property.Name))
            {
                throw InferenceException.Invalid($"instance {index}: unknown field '{PredictTensorBuilder.Clip(property.Name)}'; the model's inputs are {InputNames(metadata)}");
            }

            if (!fields.TryAdd(property.Name, PredictField.FromJson(property.Value)))
            {
                throw InferenceException.Invalid($"instance {index}: field '{PredictTensorBuilder.Clip(property.Name)}' appears more than once");
            }
        }

        return fields;
    }

    /// <summary>The model's input names for error messages, cut short for models with many inputs.</summary>
    internal static string InputNames(ModelMetadata metadata)
    {
        var names = string.Join(", ", metadata.Inputs.Take(8).Select(i => PredictTensorBuilder.Clip(i.Name)));
        return metadata.Inputs.Count > 8 ? names + ", ..." : names;
    }

    private static List<RequestedOutput> ReadOutputs(JsonElement outputs, RequestLimits limits)
    {
        if (outputs.ValueKind == JsonValueKind.Undefined)
        {
            return [];
        }

        if (outputs.ValueKind != JsonValueKind.Array || outputs.EnumerateArray().Any(o => o.ValueKind != JsonValueKind.String))
        {
            throw InferenceException.Invalid("\"outputs\" must be a JSON array of output names");
        }

        if (outputs.GetArrayLength() > limits.MaxOutputsPerRequest)
        {
            throw InferenceException.Invalid($"more than {limits.MaxOutputsPerRequest} outputs requested");
        }

        var result = new List<RequestedOutput>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in outputs.EnumerateArray())
        {
            var name = output.GetString()!;
            if (!names.Add(name))
            {
                throw InferenceException.Invalid($"output '{PredictTensorBuilder.Clip(name)}' is requested more than once");
            }

            result.Add(new RequestedOutput(name, JsonParameters.None));
        }

        return result;
    }

    private static InferenceRequest Build(
        List<IReadOnlyDictionary<string, PredictField>> rows,
        string? version,
        ModelMetadata metadata,
        int maxBatchSize,
        RequestLimits limits,
        IReadOnlyDictionary<string, ParameterValue> parameters,
        List<RequestedOutput> outputs)
    {
        var batched = maxBatchSize > 0;
        var inputs = new List<InferenceTensor>(metadata.Inputs.Count);
        foreach (var input in metadata.Inputs)
        {
            inputs.Add(PredictTensorBuilder.Build(input, batched, rows, limits));
        }

        return new InferenceRequest(metadata.Name, version, Id: null, inputs, outputs, parameters);
    }
}

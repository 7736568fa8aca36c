using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Inference;

/// <summary>
/// Checks a request against a model's completed config before anything runs: names, datatypes, shapes, batch
/// size, byte counts and parameters. Every size is computed with checked arithmetic (bad-inputs.md rows 1-5, 14).
/// </summary>
internal static class RequestValidator
{
    private static readonly string[] UnsupportedParameters = ["sequence_id", "sequence_start", "sequence_end"];

    /// <summary>Validates and returns the batch size (1 when the model does not batch).</summary>
    public static long Validate(InferenceRequest request, ModelConfig config, RequestLimits limits)
    {
        CheckParameters(request.Parameters, "request", limits);
        if (request.Inputs.Count > limits.MaxInputsPerRequest)
        {
            throw InferenceException.Invalid($"request has {request.Inputs.Count} inputs; at most {limits.MaxInputsPerRequest} are accepted");
        }

        if (request.Outputs.Count > limits.MaxOutputsPerRequest)
        {
            throw InferenceException.Invalid($"request asks for {request.Outputs.Count} outputs; at most {limits.MaxOutputsPerRequest} are accepted");
        }

        // Linear scans instead of sets: requests carry a handful of tensors (at most 128), and this path runs for every
        // request, so it allocates nothing.
        var inputs = request.Inputs;
        long batch = -1;
        for (var i = 0; i < inputs.Count; i++)
        {
            var tensor = inputs[i];
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(inputs[j].Name, tensor.Name, StringComparison.Ordinal))
                {
                    throw InferenceException.Invalid($"input '{Clip(tensor.Name)}' appears more than once");
                }
            }

            var expected = Find(config.Inputs, tensor.Name)
                ?? throw InferenceException.Invalid($"unexpected input '{Clip(tensor.Name)}'; model '{config.Name}' takes: {string.Join(", ", config.Inputs.Select(c => c.Name))}");
            var b = CheckTensor(tensor, expected, config.MaxBatchSize, limits);
            if (batch >= 0 && b != batch)
            {
                throw InferenceException.Invalid($"input '{tensor.Name}' has batch size {b} but another input has {batch}; all inputs must share the batch dimension");
            }

            batch = b;
        }

        foreach (var input in config.Inputs)
        {
            if (!input.Optional && !Contains(inputs, input.Name))
            {
                throw InferenceException.Invalid($"missing input '{input.Name}'; model '{config.Name}' expects {config.Inputs.Count(c => !c.Optional)} inputs, got {request.Inputs.Count}");
            }
        }

        var outputs = request.Outputs;
        for (var i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(outputs[j].Name, output.Name, StringComparison.Ordinal))
                {
                    throw InferenceException.Invalid($"output '{Clip(output.Name)}' is requested more than once");
                }
            }

            if (Find(config.Outputs, output.Name) is null)
            {
                throw InferenceException.Invalid($"unexpected output '{Clip(output.Name)}'; model '{config.Name}' produces: {string.Join(", ", config.Outputs.Select(o => o.Name))}");
            }

            CheckParameters(output.Parameters, $"output '{output.Name}'", limits);
            if (output.Parameters.TryGetValue("classification", out var k) && (!k.TryGetInt64(out var count) || count < 1))
            {
                throw InferenceException.Invalid($"classification for output '{output.Name}' must be a positive integer");
            }
        }

        return batch < 0 ? 1 : batch;
    }

    private static TensorConfig? Find(IReadOnlyList<TensorConfig> tensors, string name)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            if (string.Equals(tensors[i].Name, name, StringComparison.Ordinal))
            {
                return tensors[i];
            }
        }

        return null;
    }

    private static bool Contains(IReadOnlyList<InferenceTensor> tensors, string name)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            if (string.Equals(tensors[i].Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static long CheckTensor(InferenceTensor tensor, TensorConfig expected, int maxBatch, RequestLimits limits)
    {
        if (tensor.DataType != expected.DataType)
        {
            throw InferenceException.Invalid($"input '{tensor.Name}' has datatype {tensor.DataType.ToWireName()}, but the model expects {expected.DataType.ToWireName()}");
        }

        var shape = tensor.Shape;
        var rank = expected.Dims.Length + (maxBatch > 0 ? 1 : 0);
        if (shape.Length > limits.MaxRank || shape.Length != rank)
        {
            throw InferenceException.Invalid($"input '{tensor.Name}' has shape {TensorShape.Format(shape)}, but the model expects {ExpectedShape(expected, maxBatch)}");
        }

        long batch = 1;
        var offset = 0;
        if (maxBatch > 0)
        {
            batch = shape[0];
            if (batch < 1 || batch > maxBatch)
            {
                throw InferenceException.Invalid($"input '{tensor.Name}' has batch size {batch}; model allows 1 to {maxBatch}");
            }

            offset = 1;
        }

        for (var i = 0; i < expected.Dims.Length; i++)
        {
            var want = expected.Dims[i];
            var got = shape[i + offset];
            if (got < 0 || (want >= 0 && got != want))
            {
                throw InferenceException.Invalid($"input '{tensor.Name}' has shape {TensorShape.Format(shape)}, but the model expects {ExpectedShape(expected, maxBatch)}");
            }
        }

        if (!TensorShape.TryGetElementCount(shape, out var elements) || elements > limits.MaxElementsPerTensor)
        {
            throw InferenceException.Invalid($"input '{tensor.Name}' has too many elements; the limit is {limits.MaxElementsPerTensor}");
        }

        if (tensor.DataType == DataType.Bytes)
        {
            if (!BytesTensor.TryCountElements(tensor.Data.Span, out var count))
            {
                throw InferenceException.Invalid($"input '{tensor.Name}': BYTES data is malformed (a length prefix runs past the end)");
            }

            if (count != elements)
            {
                throw InferenceException.Invalid($"input '{tensor.Name}': expected {elements} BYTES elements, got {count}");
            }
        }
        else
        {
            var expectedBytes = elements * tensor.DataType.ElementSize();
            if (tensor.Data.Length != expectedBytes)
            {
                throw InferenceException.Invalid($"input '{tensor.Name}': shape {TensorShape.Format(shape)} of {tensor.DataType.ToWireName()} needs {expectedBytes} bytes, got {tensor.Data.Length}");
            }

            // Binary and raw BOOL bytes reach ONNX Runtime as they are; anything but 0 or 1 is not a valid bool
            // there, and JSON or typed contents could never produce it.
            if (tensor.DataType == DataType.Bool && tensor.Data.Span.IndexOfAnyExceptInRange((byte)0, (byte)1) >= 0)
            {
                throw InferenceException.Invalid($"input '{tensor.Name}': BOOL elements must be the bytes 0 or 1");
            }
        }

        return batch;
    }

    private static void CheckParameters(IReadOnlyDictionary<string, ParameterValue> parameters, string where, RequestLimits limits)
    {
        if (parameters.Count > limits.MaxParameters)
        {
            throw InferenceException.Invalid($"{where} has {parameters.Count} parameters; at most {limits.MaxParameters} are accepted");
        }

        foreach (var (key, value) in parameters)
        {
            if (key.Length > limits.MaxParameterLength || (value.String?.Length ?? 0) > limits.MaxParameterLength)
            {
                throw InferenceException.Invalid($"a parameter of {where} is longer than {limits.MaxParameterLength} characters");
            }

            if (key.StartsWith("shared_memory_", StringComparison.Ordinal))
            {
                throw InferenceException.Invalid("shared memory is not supported; send tensor data in the request");
            }

            if (Array.IndexOf(UnsupportedParameters, key) >= 0)
            {
                throw InferenceException.Invalid($"parameter '{key}': sequence batching is not supported");
            }
        }
    }

    private static string ExpectedShape(TensorConfig expected, int maxBatch) =>
        TensorShape.Format(maxBatch > 0 ? [-1, .. expected.Dims] : expected.Dims);

    private static string Clip(string name) => name.Length > 64 ? name[..64] + "..." : name;
}

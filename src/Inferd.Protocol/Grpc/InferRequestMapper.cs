using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;

namespace Inferd.Protocol.Grpc;

/// <summary>Converts a <see cref="ModelInferRequest"/> into the protocol-neutral <see cref="InferenceRequest"/>.</summary>
public static class InferRequestMapper
{
    /// <summary>
    /// Validates the request against <paramref name="limits"/> before allocating anything, then converts it.
    /// Raw inputs are handed through without copying; typed <c>contents</c> are encoded into the binary layout.
    /// </summary>
    /// <returns>
    /// The request. Ownership: raw input tensors point into <paramref name="request"/>'s buffers, so keep the
    /// message alive until the request completes.
    /// </returns>
    /// <exception cref="InferenceException">InvalidInput for any malformed or over-limit part.</exception>
    public static InferenceRequest ToCore(this ModelInferRequest request, RequestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ValidateName(request.ModelName, "model_name", limits);
        if (request.ModelVersion.Length > limits.MaxNameLength)
        {
            throw InferenceException.Invalid($"model_version is longer than {limits.MaxNameLength} characters");
        }

        if (request.Id.Length > limits.MaxParameterLength)
        {
            throw InferenceException.Invalid($"id is longer than {limits.MaxParameterLength} characters");
        }

        if (request.Inputs.Count > limits.MaxInputsPerRequest)
        {
            throw InferenceException.Invalid($"the request has {request.Inputs.Count} inputs; the limit is {limits.MaxInputsPerRequest}");
        }

        if (request.Outputs.Count > limits.MaxOutputsPerRequest)
        {
            throw InferenceException.Invalid($"the request has {request.Outputs.Count} outputs; the limit is {limits.MaxOutputsPerRequest}");
        }

        var useRaw = request.RawInputContents.Count > 0;
        if (useRaw && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw InferenceException.Invalid(
                $"raw_input_contents has {request.RawInputContents.Count} entries for {request.Inputs.Count} inputs; it needs exactly one per input");
        }

        var parameters = ParameterMapper.ToCore(request.Parameters, limits, "the request");
        var inputs = ToInputs(request, useRaw, limits);
        var outputs = ToOutputs(request, limits);
        return new InferenceRequest(
            request.ModelName,
            request.ModelVersion.Length == 0 ? null : request.ModelVersion,
            request.Id.Length == 0 ? null : request.Id,
            inputs,
            outputs,
            parameters);
    }

    private static InferenceTensor[] ToInputs(ModelInferRequest request, bool useRaw, RequestLimits limits)
    {
        // Validate every input header first so a bad later input cannot make us encode earlier ones for nothing.
        var names = new HashSet<string>(StringComparer.Ordinal);
        var headers = new InputHeader[request.Inputs.Count];
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            var owner = $"input {i}";
            ValidateName(input.Name, owner + " name", limits);
            if (!names.Add(input.Name))
            {
                throw InferenceException.Invalid($"input '{input.Name}' appears more than once");
            }

            if (useRaw && TypedContentsReader.HasAny(input.Contents))
            {
                throw InferenceException.Invalid($"input '{input.Name}' sets contents while raw_input_contents is used; send one or the other");
            }

            headers[i] = InputHeader.Validate(input, limits);

            // InferenceTensor has no parameters; they are still checked so limits and the shared-memory refusal hold.
            _ = ParameterMapper.ToCore(input.Parameters, limits, $"input '{input.Name}'");
        }

        var tensors = new InferenceTensor[headers.Length];
        for (var i = 0; i < headers.Length; i++)
        {
            var input = request.Inputs[i];
            var header = headers[i];
            var data = useRaw
                ? RawContentsReader.Read(input.Name, header, request.RawInputContents[i])
                : TypedContentsReader.Read(input.Name, header, input.Contents, limits);
            tensors[i] = new InferenceTensor(input.Name, header.DataType, header.Shape, data);
        }

        return tensors;
    }

    private static RequestedOutput[] ToOutputs(ModelInferRequest request, RequestLimits limits)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var outputs = new RequestedOutput[request.Outputs.Count];
        for (var i = 0; i < outputs.Length; i++)
        {
            var output = request.Outputs[i];
            ValidateName(output.Name, $"output {i} name", limits);
            if (!names.Add(output.Name))
            {
                throw InferenceException.Invalid($"output '{output.Name}' is requested more than once");
            }

            outputs[i] = new RequestedOutput(output.Name, ParameterMapper.ToCore(output.Parameters, limits, $"output '{output.Name}'"));
        }

        return outputs;
    }

    private static void ValidateName(string name, string what, RequestLimits limits)
    {
        if (name.Length == 0)
        {
            throw InferenceException.Invalid($"{what} is empty");
        }

        if (name.Length > limits.MaxNameLength)
        {
            throw InferenceException.Invalid($"{what} is longer than {limits.MaxNameLength} characters");
        }
    }
}

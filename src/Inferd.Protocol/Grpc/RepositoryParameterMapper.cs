using Google.Protobuf.Collections;
using Inferd.Abstractions.Inference;
using Inferd.Protocol.V2;

namespace Inferd.Protocol.Grpc;

/// <summary>Converts model-repository (load/unload) parameters for the facade.</summary>
public static class RepositoryParameterMapper
{
    /// <summary>
    /// Converts the parameters of a load or unload request. <c>bytes_param</c> values (Triton's <c>file:</c>
    /// uploads) become base64 strings so the facade sees the key and refuses it; the adapter decides nothing.
    /// Throws InvalidInput for more than <see cref="RequestLimits.MaxParameters"/> entries or an unset value.
    /// </summary>
    public static IReadOnlyDictionary<string, ParameterValue> ToCore(MapField<string, ModelRepositoryParameter> parameters, RequestLimits limits)
    {
        if (parameters.Count > limits.MaxParameters)
        {
            throw InferenceException.Invalid($"the request has {parameters.Count} parameters; the limit is {limits.MaxParameters}");
        }

        var result = new Dictionary<string, ParameterValue>(parameters.Count, StringComparer.Ordinal);
        foreach (var (key, parameter) in parameters)
        {
            result.Add(key, parameter.ParameterChoiceCase switch
            {
                ModelRepositoryParameter.ParameterChoiceOneofCase.BoolParam => ParameterValue.FromBool(parameter.BoolParam),
                ModelRepositoryParameter.ParameterChoiceOneofCase.Int64Param => ParameterValue.FromInt64(parameter.Int64Param),
                ModelRepositoryParameter.ParameterChoiceOneofCase.StringParam => ParameterValue.FromString(parameter.StringParam),
                ModelRepositoryParameter.ParameterChoiceOneofCase.BytesParam => ParameterValue.FromString(parameter.BytesParam.ToBase64()),
                _ => throw InferenceException.Invalid("a parameter has no value set"),
            });
        }

        return result;
    }

    /// <summary>
    /// The model name of a load or unload request. Triton puts <c>repository_name</c> at 1 and <c>model_name</c>
    /// at 2; KServe-generated clients put the model name at 1, so an empty field 2 falls back to field 1
    /// (protocol.md §9.6).
    /// </summary>
    public static string ResolveModelName(string repositoryName, string modelName) =>
        modelName.Length == 0 && repositoryName.Length > 0 ? repositoryName : modelName;
}

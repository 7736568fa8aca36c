using Google.Protobuf.Collections;
using Inferd.Abstractions.Inference;
using Inferd.Protocol.V2;

namespace Inferd.Protocol.Grpc;

/// <summary>Converts between <see cref="InferParameter"/> and <see cref="ParameterValue"/>.</summary>
public static class ParameterMapper
{
    /// <summary>Parameter keys with this prefix would address shared memory, which Inferd refuses (protocol.md §7.9).</summary>
    public const string SharedMemoryPrefix = "shared_memory_";

    /// <summary>Converts a wire parameter. Throws InvalidInput when no value is set.</summary>
    public static ParameterValue ToCore(this InferParameter parameter) => parameter.ParameterChoiceCase switch
    {
        InferParameter.ParameterChoiceOneofCase.BoolParam => ParameterValue.FromBool(parameter.BoolParam),
        InferParameter.ParameterChoiceOneofCase.Int64Param => ParameterValue.FromInt64(parameter.Int64Param),
        InferParameter.ParameterChoiceOneofCase.StringParam => ParameterValue.FromString(parameter.StringParam),
        InferParameter.ParameterChoiceOneofCase.DoubleParam => ParameterValue.FromDouble(parameter.DoubleParam),
        InferParameter.ParameterChoiceOneofCase.Uint64Param => ParameterValue.FromUInt64(parameter.Uint64Param),
        _ => throw InferenceException.Invalid("a parameter has no value set"),
    };

    /// <summary>Converts a parameter value to the wire form.</summary>
    public static InferParameter ToProto(this ParameterValue value) => value.Kind switch
    {
        ParameterKind.Bool => new InferParameter { BoolParam = value.Bool },
        ParameterKind.Int64 => new InferParameter { Int64Param = value.Int64 },
        ParameterKind.UInt64 => new InferParameter { Uint64Param = value.UInt64 },
        ParameterKind.Double => new InferParameter { DoubleParam = value.Double },
        _ => new InferParameter { StringParam = value.String ?? "" },
    };

    /// <summary>
    /// Validates a parameter map against the limits (count, key and string lengths, no shared-memory keys) and
    /// converts it. <paramref name="owner"/> names the owner in error messages, e.g. "request" or "input 0".
    /// </summary>
    internal static Dictionary<string, ParameterValue> ToCore(MapField<string, InferParameter> parameters, RequestLimits limits, string owner)
    {
        if (parameters.Count > limits.MaxParameters)
        {
            throw InferenceException.Invalid($"{owner} has {parameters.Count} parameters; the limit is {limits.MaxParameters}");
        }

        var result = new Dictionary<string, ParameterValue>(parameters.Count, StringComparer.Ordinal);
        foreach (var (key, parameter) in parameters)
        {
            if (key.Length == 0 || key.Length > limits.MaxParameterLength)
            {
                throw InferenceException.Invalid($"{owner} has a parameter key that is empty or longer than {limits.MaxParameterLength} characters");
            }

            if (key.StartsWith(SharedMemoryPrefix, StringComparison.Ordinal))
            {
                throw InferenceException.Invalid($"{owner} uses shared memory parameters, which are not supported");
            }

            var value = parameter.ToCore();
            if (value.Kind == ParameterKind.String && value.String!.Length > limits.MaxParameterLength)
            {
                throw InferenceException.Invalid($"{owner} has a parameter value longer than {limits.MaxParameterLength} characters");
            }

            result.Add(key, value);
        }

        return result;
    }
}

using System.Text.Json;
using Inferd.Abstractions.Inference;

namespace Inferd.Hosting.Rest;

/// <summary>Reads a <c>$parameters</c> object: string, number or boolean values only (protocol.md §2, §4).</summary>
internal static class JsonParameters
{
    private static readonly IReadOnlyDictionary<string, ParameterValue> Empty = new Dictionary<string, ParameterValue>();

    /// <summary>An empty, shared parameter map.</summary>
    public static IReadOnlyDictionary<string, ParameterValue> None => Empty;

    /// <summary>
    /// Parses <paramref name="element"/> (or returns an empty map when it is undefined). Rejects nested values,
    /// too many or too long entries, duplicate keys and the unsupported <c>shared_memory_*</c> keys.
    /// </summary>
    public static IReadOnlyDictionary<string, ParameterValue> Read(JsonElement element, RequestLimits limits, string where)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            return Empty;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw InferenceException.Invalid($"{where}: 'parameters' must be a JSON object");
        }

        var result = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (result.Count >= limits.MaxParameters)
            {
                throw InferenceException.Invalid($"{where}: more than {limits.MaxParameters} parameters");
            }

            var key = property.Name;
            if (key.Length == 0 || key.Length > limits.MaxParameterLength)
            {
                throw InferenceException.Invalid($"{where}: a parameter key is empty or longer than {limits.MaxParameterLength} characters");
            }

            // Shared memory is deliberately absent (protocol.md §7.9); the key is not echoed (bad-inputs.md §1).
            if (key.StartsWith("shared_memory_", StringComparison.Ordinal))
            {
                throw InferenceException.Invalid($"{where}: shared memory parameters are not supported");
            }

            var value = ReadValue(property.Value, limits, where);
            if (!result.TryAdd(key, value))
            {
                throw InferenceException.Invalid($"{where}: duplicate parameter key");
            }
        }

        return result;
    }

    private static ParameterValue ReadValue(JsonElement value, RequestLimits limits, string where)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return ParameterValue.FromBool(true);
            case JsonValueKind.False:
                return ParameterValue.FromBool(false);
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (text.Length > limits.MaxParameterLength)
                {
                    throw InferenceException.Invalid($"{where}: a parameter value is longer than {limits.MaxParameterLength} characters");
                }

                return ParameterValue.FromString(text);
            case JsonValueKind.Number:
                if (value.TryGetInt64(out var int64))
                {
                    return ParameterValue.FromInt64(int64);
                }

                if (value.TryGetUInt64(out var uint64))
                {
                    return ParameterValue.FromUInt64(uint64);
                }

                if (value.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    return ParameterValue.FromDouble(number);
                }

                throw InferenceException.Invalid($"{where}: a numeric parameter is out of range");
            default:
                throw InferenceException.Invalid($"{where}: parameter values must be a string, a number or a boolean");
        }
    }
}

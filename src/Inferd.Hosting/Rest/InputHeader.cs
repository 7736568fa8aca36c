using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>The validated JSON description of one input, before its data is decoded or sliced.</summary>
/// <param name="Name">Input name.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Shape">Shape: at most MaxRank dims, each a non-negative integer.</param>
/// <param name="ElementCount">Shape product, within MaxElementsPerTensor.</param>
/// <param name="Data">The <c>data</c> element, or undefined when the tensor is binary.</param>
/// <param name="BinarySize">The <c>binary_data_size</c> parameter, or null when the tensor is JSON.</param>
internal sealed record InputHeader(string Name, DataType DataType, long[] Shape, long ElementCount, JsonElement Data, long? BinarySize)
{
    /// <summary>Reads and validates one <c>$request_input</c> object.</summary>
    public static InputHeader Read(JsonElement input, RequestLimits limits)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw InferenceException.Invalid("each input must be a JSON object");
        }

        var name = ReadName(input, limits, "input");
        if (!input.TryGetProperty("datatype", out var datatype) || datatype.ValueKind != JsonValueKind.String)
        {
            throw InferenceException.Invalid($"input '{name}': 'datatype' must be a string");
        }

        // Strict, case-sensitive wire names; the unknown value is not echoed.
        if (!DataTypes.TryParseWireName(datatype.GetString(), out var type))
        {
            throw InferenceException.Invalid($"input '{name}': unknown datatype");
        }

        var shape = ReadShape(input, name, limits);
        if (!TensorShape.TryGetElementCount(shape, out var count) || count > limits.MaxElementsPerTensor)
        {
            throw InferenceException.Invalid($"input '{name}': shape has more than {limits.MaxElementsPerTensor} elements");
        }

        var parameters = JsonParameters.Read(
            input.TryGetProperty("parameters", out var p) && p.ValueKind != JsonValueKind.Null ? p : default, limits, $"input '{name}'");
        long? binarySize = null;
        if (parameters.TryGetValue(InferRequestReader.BinaryDataSize, out var sizeValue))
        {
            if (sizeValue.Kind != ParameterKind.Int64 || sizeValue.Int64 < 0)
            {
                throw InferenceException.Invalid($"input '{name}': binary_data_size must be a non-negative integer");
            }

            binarySize = sizeValue.Int64;
        }

        var hasData = input.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null;
        if (hasData && binarySize is not null)
        {
            throw InferenceException.Invalid($"input '{name}': has both 'data' and binary_data_size");
        }

        if (!hasData && binarySize is null)
        {
            throw InferenceException.Invalid($"input '{name}': has neither 'data' nor binary_data_size");
        }

        return new InputHeader(name, type, shape, count, hasData ? data : default, binarySize);
    }

    /// <summary>Reads a required tensor name: a non-empty string within MaxNameLength.</summary>
    public static string ReadName(JsonElement obj, RequestLimits limits, string what)
    {
        if (!obj.TryGetProperty("name", out var element) || element.ValueKind != JsonValueKind.String)
        {
            throw InferenceException.Invalid($"each {what} needs a string 'name'");
        }

        var name = element.GetString()!;
        if (name.Length == 0 || name.Length > limits.MaxNameLength)
        {
            throw InferenceException.Invalid($"an {what} name is empty or longer than {limits.MaxNameLength} characters");
        }

        return name;
    }

    private static long[] ReadShape(JsonElement input, string name, RequestLimits limits)
    {
        if (!input.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
        {
            throw InferenceException.Invalid($"input '{name}': 'shape' must be a JSON array");
        }

        var rank = shape.GetArrayLength();
        if (rank > limits.MaxRank)
        {
            throw InferenceException.Invalid($"input '{name}': shape has more than {limits.MaxRank} dimensions");
        }

        var dims = new long[rank];
        var i = 0;
        foreach (var dim in shape.EnumerateArray())
        {
            // TryGetInt64 refuses 1.5, 1e3 and anything beyond int64; -1 is refused below (row 4).
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var value) || value < 0)
            {
                throw InferenceException.Invalid($"input '{name}': shape dimensions must be non-negative integers");
            }

            dims[i++] = value;
        }

        return dims;
    }
}

using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Protocol.Grpc;

/// <summary>The validated datatype, shape and sizes of one input, computed before any tensor data is touched.</summary>
/// <param name="DataType">Element type.</param>
/// <param name="Shape">Copied shape, every dimension non-negative.</param>
/// <param name="ElementCount">Product of the shape, within the element limit.</param>
/// <param name="ByteSize">Element count × element size for fixed-size types; -1 for BYTES.</param>
internal readonly record struct InputHeader(DataType DataType, long[] Shape, long ElementCount, long ByteSize)
{
    /// <summary>Checks the header of <paramref name="input"/> with checked arithmetic (bad-inputs.md rows 2, 4, 5).</summary>
    public static InputHeader Validate(ModelInferRequest.Types.InferInputTensor input, RequestLimits limits)
    {
        if (!DataTypes.TryParseWireName(input.Datatype, out var dataType))
        {
            throw InferenceException.Invalid($"input '{input.Name}' has an unknown datatype");
        }

        if (input.Shape.Count > limits.MaxRank)
        {
            throw InferenceException.Invalid($"input '{input.Name}' has rank {input.Shape.Count}; the limit is {limits.MaxRank}");
        }

        var shape = new long[input.Shape.Count];
        for (var d = 0; d < shape.Length; d++)
        {
            shape[d] = input.Shape[d];
            if (shape[d] < 0)
            {
                throw InferenceException.Invalid($"input '{input.Name}' has a negative dimension");
            }
        }

        if (!TensorShape.TryGetElementCount(shape, out var count) || count > limits.MaxElementsPerTensor)
        {
            throw InferenceException.Invalid($"input '{input.Name}' shape exceeds the limit of {limits.MaxElementsPerTensor} elements");
        }

        long byteSize = -1;
        if (dataType != DataType.Bytes)
        {
            // count <= MaxElementsPerTensor and size <= 8, so this only overflows for absurd configured limits.
            byteSize = checked(count * dataType.ElementSize());
            if (byteSize > limits.MaxRequestBytes)
            {
                throw InferenceException.Invalid($"input '{input.Name}' needs {byteSize} bytes; the limit is {limits.MaxRequestBytes}");
            }
        }

        return new InputHeader(dataType, shape, count, byteSize);
    }
}

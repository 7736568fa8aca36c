using System.Buffers.Binary;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Raw binary requests (<c>Inference-Header-Content-Length: 0</c>, protocol.md §6): the body is the bytes of the
/// model's only input and every output comes back binary.
/// </summary>
internal static class RawRequestReader
{
    /// <summary>Builds the request; the shape comes from the model's metadata and the byte count.</summary>
    public static InferenceRequest Read(ReadOnlyMemory<byte> body, string modelName, string? version, RequestLimits limits, RawInputSpec spec)
    {
        if (spec.Inputs.Count != 1)
        {
            throw InferenceException.Invalid("a raw binary request needs a model with exactly one input");
        }

        var input = spec.Inputs[0];
        var dims = input.Shape.AsSpan();
        var batched = spec.Batches && dims.Length > 0 && dims[0] == -1;
        if (batched)
        {
            dims = dims[1..];
        }

        long[] shape;
        ReadOnlyMemory<byte> data;
        if (input.DataType == DataType.Bytes)
        {
            // The body is the content of one element; the length prefix is added here. Shape is [1].
            if (dims.Length != 1 || dims[0] is not (1 or -1))
            {
                throw InferenceException.Invalid("a raw binary BYTES input must have shape [1]");
            }

            var buffer = new byte[4 + body.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)body.Length);
            body.Span.CopyTo(buffer.AsSpan(4));
            shape = [1];
            data = buffer;
        }
        else
        {
            shape = DeriveShape(dims, body.Length, input.DataType, limits);
            data = body;
        }

        if (batched)
        {
            shape = [1, .. shape];
        }

        var parameters = new Dictionary<string, ParameterValue>
        {
            [InferRequestReader.BinaryDataOutput] = ParameterValue.FromBool(true),
        };
        return new InferenceRequest(modelName, version, Id: null, [new InferenceTensor(input.Name, input.DataType, shape, data)], [], parameters);
    }

    private static long[] DeriveShape(ReadOnlySpan<long> dims, long byteCount, DataType type, RequestLimits limits)
    {
        var size = type.ElementSize();
        if (size == 0)
        {
            throw InferenceException.Invalid("the model's input has no binary form");
        }

        var variable = -1;
        long fixedCount = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0)
            {
                if (variable >= 0)
                {
                    throw InferenceException.Invalid("a raw binary request allows at most one variable dimension in the model's input");
                }

                variable = i;
                continue;
            }

            if (!TensorShape.TryGetElementCount([fixedCount, dims[i]], out fixedCount))
            {
                throw InferenceException.Invalid("the model's input shape overflows");
            }
        }

        var elementBytes = checked(fixedCount * size);
        var shape = dims.ToArray();
        if (variable >= 0)
        {
            if (elementBytes == 0 || byteCount % elementBytes != 0)
            {
                throw InferenceException.Invalid($"the raw body of {byteCount} bytes does not fit the model's input shape");
            }

            shape[variable] = byteCount / elementBytes;
        }
        else if (byteCount != elementBytes)
        {
            throw InferenceException.Invalid($"the raw body holds {byteCount} bytes but the model's input needs {elementBytes}");
        }

        if (!TensorShape.TryGetElementCount(shape, out var count) || count > limits.MaxElementsPerTensor)
        {
            throw InferenceException.Invalid($"the input has more than {limits.MaxElementsPerTensor} elements");
        }

        return shape;
    }
}

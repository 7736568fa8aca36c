using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Turns the fields of every prediction instance into one input tensor: each value is checked against the input's
/// per-row shape, instances are stacked along the batch dimension, and sizes are checked against the limits before
/// the tensor buffer is allocated (bad-inputs.md rows 1, 2, 5, 14).
/// </summary>
internal static class PredictTensorBuilder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Builds the tensor of <paramref name="input"/>.</summary>
    /// <param name="input">The input as the model's metadata declares it (a leading -1 when the model batches).</param>
    /// <param name="batched">Whether the model batches (max_batch_size &gt; 0): the tensor gets a leading instance dimension.</param>
    /// <param name="instances">Fields of each instance by name.</param>
    /// <param name="limits">Request limits.</param>
    public static InferenceTensor Build(TensorSignature input, bool batched, IReadOnlyList<IReadOnlyDictionary<string, PredictField>> instances, RequestLimits limits)
    {
        var rowDims = batched && input.Shape.Length > 0 ? input.Shape[1..] : input.Shape;
        var type = input.DataType;
        var name = input.Name;
        var fields = new PredictField?[instances.Count];
        long[]? rowShape = null;
        for (var i = 0; i < instances.Count; i++)
        {
            PredictField? field = instances[i].TryGetValue(name, out var found) && !found.IsNull ? found : null;
            long[] shape;
            if (field is null)
            {
                if (!CanBeMissing(type, rowDims))
                {
                    throw InferenceException.Invalid($"instance {i}: missing field '{Clip(name)}'");
                }

                shape = Ones(rowDims);
            }
            else if (field.Value.IsBytes)
            {
                if (type != DataType.Bytes)
                {
                    throw InferenceException.Invalid($"instance {i}: field '{Clip(name)}' is a file, but the input takes {type.ToWireName()} values");
                }

                shape = LeafShape(rowDims) ?? throw ShapeError(i, name, [], rowDims);
            }
            else
            {
                shape = ShapeOf(field.Value.Json, i, name, rowDims);
            }

            fields[i] = field;
            if (rowShape is null)
            {
                rowShape = shape;
            }
            else if (!rowShape.AsSpan().SequenceEqual(shape))
            {
                throw InferenceException.Invalid(
                    $"instance {i}: field '{Clip(name)}' has shape {TensorShape.Format(shape)} but instance 0 has {TensorShape.Format(rowShape)}; variable dimensions must agree across instances");
            }
        }

        rowShape ??= Ones(rowDims);
        long[] tensorShape = batched ? [instances.Count, .. rowShape] : rowShape;
        if (!TensorShape.TryGetElementCount(tensorShape, out var total) || total > limits.MaxElementsPerTensor)
        {
            throw InferenceException.Invalid($"input '{Clip(name)}' would have more than {limits.MaxElementsPerTensor} elements");
        }

        TensorShape.TryGetElementCount(rowShape, out var perRow);
        var data = type == DataType.Bytes
            ? BuildBytes(fields, rowShape, perRow, name)
            : BuildFixed(fields, type, rowShape, perRow, total, name, limits);
        return new InferenceTensor(name, type, tensorShape, data);
    }

    /// <summary>A client-chosen name cut short for error messages (bad-inputs.md row 12).</summary>
    public static string Clip(string name) => name.Length <= 64 ? name : string.Concat(name.AsSpan(0, 61), "...");

    // Missing values are the model's business only where an empty value exists: NaN for floats, "" for BYTES.
    private static bool CanBeMissing(DataType type, long[] rowDims) =>
        type is DataType.Fp32 or DataType.Fp64 or DataType.Fp16 or DataType.Bytes && LeafShape(rowDims) is not null;

    // The shape a single value fills: every dimension 1 (a -1 taking 1), or null when the row needs more elements.
    private static long[]? LeafShape(long[] rowDims) => rowDims.All(d => d is 1 or -1) ? Ones(rowDims) : null;

    private static long[] Ones(long[] rowDims)
    {
        var shape = new long[rowDims.Length];
        Array.Fill(shape, 1L);
        return shape;
    }

    private static long[] ShapeOf(JsonElement value, int instance, string name, long[] rowDims)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return LeafShape(rowDims) ?? throw ShapeError(instance, name, [], rowDims);
        }

        var dims = new List<long>();
        var current = value;
        while (current.ValueKind == JsonValueKind.Array)
        {
            var length = current.GetArrayLength();
            dims.Add(length);
            if (length == 0)
            {
                break;
            }

            current = current[0];
        }

        var shape = dims.ToArray();
        if (shape.Length != rowDims.Length)
        {
            throw ShapeError(instance, name, shape, rowDims);
        }

        for (var d = 0; d < shape.Length; d++)
        {
            if (rowDims[d] >= 0 && rowDims[d] != shape[d])
            {
                throw ShapeError(instance, name, shape, rowDims);
            }
        }

        return shape;
    }

    private static InferenceException ShapeError(int instance, string name, long[] shape, long[] rowDims) =>
        InferenceException.Invalid(shape.Length == 0
            ? $"instance {instance}: field '{Clip(name)}' must be an array of shape {TensorShape.Format(rowDims)}"
            : $"instance {instance}: field '{Clip(name)}' has shape {TensorShape.Format(shape)} but the input takes {TensorShape.Format(rowDims)} per instance");

    private static byte[] BuildFixed(PredictField?[] fields, DataType type, long[] rowShape, long perRow, long total, string name, RequestLimits limits)
    {
        var size = type.ElementSize();
        var buffer = new byte[checked(total * size)];
        var rowBytes = (int)(perRow * size);
        for (var i = 0; i < fields.Length; i++)
        {
            var row = buffer.AsSpan(i * rowBytes, rowBytes);
            if (fields[i] is not { } field)
            {
                for (var offset = 0; offset < row.Length; offset += size)
                {
                    PredictScalars.WriteNaN(type, row[offset..]);
                }

                continue;
            }

            var leaves = new List<JsonElement>((int)Math.Min(perRow, 4096));
            Walk(field.Json, rowShape, 0, i, name, leaves);
            for (var e = 0; e < leaves.Count; e++)
            {
                PredictScalars.Write(leaves[e], type, row[(e * size)..], limits, i, Clip(name));
            }
        }

        return buffer;
    }

    private static byte[] BuildBytes(PredictField?[] fields, long[] rowShape, long perRow, string name)
    {
        var elements = new List<ReadOnlyMemory<byte>>((int)Math.Min(fields.Length * perRow, 4096));
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i] is not { } field)
            {
                elements.Add(ReadOnlyMemory<byte>.Empty);
            }
            else if (field.IsBytes)
            {
                elements.Add(field.Bytes);
            }
            else
            {
                var leaves = new List<JsonElement>((int)Math.Min(perRow, 4096));
                Walk(field.Json, rowShape, 0, i, name, leaves);
                foreach (var leaf in leaves)
                {
                    elements.Add(ReadBytes(leaf, i, name));
                }
            }
        }

        return BytesTensor.Encode(elements);
    }

    private static byte[] ReadBytes(JsonElement element, int instance, string name)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            try
            {
                return StrictUtf8.GetBytes(element.GetString()!);
            }
            catch (Exception ex) when (ex is InvalidOperationException or EncoderFallbackException)
            {
                throw InferenceException.Invalid($"instance {instance}: field '{Clip(name)}' is not valid Unicode");
            }
        }

        if (PredictScalars.TryReadBase64(element, out var decoded))
        {
            return decoded ?? throw InferenceException.Invalid($"instance {instance}: field '{Clip(name)}' has invalid base64 in \"b64\"");
        }

        throw InferenceException.Invalid($"instance {instance}: field '{Clip(name)}' must be a string or {{\"b64\": \"...\"}}");
    }

    // Row-major walk that also rejects ragged arrays: every sub-array must have the length of its dimension.
    private static void Walk(JsonElement value, long[] shape, int depth, int instance, string name, List<JsonElement> leaves)
    {
        if (depth == shape.Length)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                throw InferenceException.Invalid($"instance {instance}: field '{Clip(name)}' is nested deeper than its shape {TensorShape.Format(shape)}");
            }

            leaves.Add(value);
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            if (depth == 0 && shape.All(d => d == 1))
            {
                // A bare value for a one-element row such as [1].
                leaves.Add(value);
                return;
            }

            throw InferenceException.Invalid($"instance {instance}: field '{Clip(name)}' is not a regular array of shape {TensorShape.Format(shape)}");
        }

        if (value.GetArrayLength() != shape[depth])
        {
            throw InferenceException.Invalid($"instance {instance}: field '{Clip(name)}' is not a regular array of shape {TensorShape.Format(shape)}");
        }

        foreach (var item in value.EnumerateArray())
        {
            Walk(item, shape, depth + 1, instance, name, leaves);
        }
    }
}

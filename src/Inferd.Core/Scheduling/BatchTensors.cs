using System.Buffers;
using System.Buffers.Binary;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Scheduling;

/// <summary>Concatenates request inputs along the first dimension and cuts outputs back into per-request rows.</summary>
internal static class BatchTensors
{
    /// <summary>
    /// True when two requests can share a batch: same outputs and, input by input, the same name, type and
    /// non-batch dimensions.
    /// </summary>
    public static bool Compatible(ScheduledRequest a, ScheduledRequest b)
    {
        if (a.Inputs.Count != b.Inputs.Count || a.OutputNames.Count != b.OutputNames.Count)
        {
            return false;
        }

        for (var i = 0; i < a.OutputNames.Count; i++)
        {
            if (!string.Equals(a.OutputNames[i], b.OutputNames[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        for (var i = 0; i < a.Inputs.Count; i++)
        {
            var x = a.Inputs[i];
            var y = b.Inputs[i];
            if (x.DataType != y.DataType || x.Shape.Length != y.Shape.Length || x.Shape.Length == 0 || !string.Equals(x.Name, y.Name, StringComparison.Ordinal)
                || !x.Shape.AsSpan(1).SequenceEqual(y.Shape.AsSpan(1)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Merges the inputs of a batch. Ownership: the returned arrays are rented from <see cref="ArrayPool{T}.Shared"/>;
    /// the caller returns them after the run.
    /// </summary>
    public static InferenceTensor[] Merge(List<ScheduledRequest> requests, long rows, List<byte[]> rented)
    {
        var first = requests[0];
        var merged = new InferenceTensor[first.Inputs.Count];
        for (var i = 0; i < merged.Length; i++)
        {
            long total = 0;
            foreach (var r in requests)
            {
                total += r.Inputs[i].Data.Length;
            }

            if (total > Array.MaxLength)
            {
                throw new InferenceException(InferenceErrorKind.PayloadTooLarge, $"the batched input '{first.Inputs[i].Name}' would exceed 2 GB");
            }

            var buffer = ArrayPool<byte>.Shared.Rent((int)total);
            rented.Add(buffer);
            var offset = 0;
            foreach (var r in requests)
            {
                var data = r.Inputs[i].Data.Span;
                data.CopyTo(buffer.AsSpan(offset));
                offset += data.Length;
            }

            var shape = (long[])first.Inputs[i].Shape.Clone();
            shape[0] = rows;
            merged[i] = new InferenceTensor(first.Inputs[i].Name, first.Inputs[i].DataType, shape, buffer.AsMemory(0, offset));
        }

        return merged;
    }

    /// <summary>
    /// Cuts each output into the rows of each request. Slices share the batch's output buffers: no copy for
    /// fixed-size types, and BYTES outputs are cut at element boundaries.
    /// </summary>
    public static InferenceTensor[][] Split(IReadOnlyList<InferenceTensor> outputs, List<ScheduledRequest> requests, long rows)
    {
        var result = new InferenceTensor[requests.Count][];
        for (var r = 0; r < requests.Count; r++)
        {
            result[r] = new InferenceTensor[outputs.Count];
        }

        for (var o = 0; o < outputs.Count; o++)
        {
            var output = outputs[o];
            if (output.Shape.Length == 0 || output.Shape[0] != rows)
            {
                throw new InferenceException(
                    InferenceErrorKind.Internal,
                    $"output '{output.Name}' has first dimension {(output.Shape.Length == 0 ? "none" : output.Shape[0])} but the batch had {rows} rows; the model does not batch along its first dimension");
            }

            long perRow = 1;
            for (var d = 1; d < output.Shape.Length; d++)
            {
                perRow *= output.Shape[d];
            }

            var offset = 0;
            for (var r = 0; r < requests.Count; r++)
            {
                var requestRows = requests[r].Rows;
                var length = output.DataType == DataType.Bytes
                    ? BytesLength(output.Data.Span[offset..], requestRows * perRow)
                    : checked((int)(requestRows * perRow * output.DataType.ElementSize()));
                var shape = (long[])output.Shape.Clone();
                shape[0] = requestRows;
                result[r][o] = new InferenceTensor(output.Name, output.DataType, shape, output.Data.Slice(offset, length));
                offset += length;
            }
        }

        return result;
    }

    private static int BytesLength(ReadOnlySpan<byte> data, long elements)
    {
        var offset = 0;
        for (long e = 0; e < elements; e++)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            offset += 4 + length;
        }

        return offset;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Inference;

/// <summary>
/// The classification extension: replaces an output by its top-k entries as BYTES strings
/// <c>"value:index[:label]"</c>, per batch row when the model batches (protocol.md §7.4).
/// </summary>
internal static class Classifier
{
    public static InferenceTensor Apply(InferenceTensor output, long k, string[]? labels, bool batched)
    {
        if (output.DataType is DataType.Bytes or DataType.Invalid)
        {
            throw InferenceException.Invalid($"output '{output.Name}' is {output.DataType.ToWireName()}; classification needs a numeric output");
        }

        var total = output.ElementCount;
        var rows = batched && output.Shape.Length > 0 ? output.Shape[0] : 1;
        var perRow = rows == 0 ? 0 : total / rows;
        var take = (int)Math.Min(k, perRow);
        var values = ToDoubles(output);
        var encoded = new List<ReadOnlyMemory<byte>>((int)(rows * take));
        for (long r = 0; r < rows; r++)
        {
            var start = (int)(r * perRow);
            // Stable order: larger value first, then lower index, as a sort over the row would give. 64-bit
            // integers are compared as themselves: as doubles, values above 2^53 would tie.
            var indices = Enumerable.Range(0, (int)perRow);
            var order = (output.DataType switch
            {
                DataType.Int64 => indices.OrderByDescending(i => BinaryPrimitives.ReadInt64LittleEndian(output.Data.Span[((start + i) * 8)..])),
                DataType.UInt64 => indices.OrderByDescending(i => BinaryPrimitives.ReadUInt64LittleEndian(output.Data.Span[((start + i) * 8)..])),
                _ => indices.OrderByDescending(i => values[start + i]),
            }).ThenBy(i => i).Take(take);
            foreach (var i in order)
            {
                var text = Format(output, start + i) + ":" + i.ToString(CultureInfo.InvariantCulture);
                if (labels is not null && i < labels.Length)
                {
                    text += ":" + labels[i];
                }

                encoded.Add(System.Text.Encoding.UTF8.GetBytes(text));
            }
        }

        long[] shape = batched ? [rows, take] : [take];
        return new InferenceTensor(output.Name, DataType.Bytes, shape, BytesTensor.Encode(encoded));
    }

    private static double[] ToDoubles(InferenceTensor t)
    {
        var span = t.Data.Span;
        var count = (int)t.ElementCount;
        var result = new double[count];
        for (var i = 0; i < count; i++)
        {
            t.DataType.TryRead(span, i, out result[i]);
            if (double.IsNaN(result[i]))
            {
                result[i] = double.NegativeInfinity;
            }
        }

        return result;
    }

    private static string Format(InferenceTensor t, int index)
    {
        var size = t.DataType.ElementSize();
        var e = t.Data.Span.Slice(index * size, size);
        return t.DataType switch
        {
            DataType.Fp32 => BinaryPrimitives.ReadSingleLittleEndian(e).ToString(CultureInfo.InvariantCulture),
            DataType.Fp64 => BinaryPrimitives.ReadDoubleLittleEndian(e).ToString(CultureInfo.InvariantCulture),
            DataType.Fp16 => ((float)BinaryPrimitives.ReadHalfLittleEndian(e)).ToString(CultureInfo.InvariantCulture),
            DataType.Bf16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(e) << 16).ToString(CultureInfo.InvariantCulture),
            DataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(e).ToString(CultureInfo.InvariantCulture),
            DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(e).ToString(CultureInfo.InvariantCulture),
            _ => ToDoubles(t with { Data = t.Data.Slice(index * size, size), Shape = [1] })[0].ToString(CultureInfo.InvariantCulture),
        };
    }
}

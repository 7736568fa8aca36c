using System.Buffers.Binary;
using System.Globalization;
using Inferd.Abstractions.Tensors;
using Inferd.Client;

namespace Inferd.Cli.Bench;

/// <summary>
/// Builds a model's inputs from its declared tensors: the first dimension is the batch size when the model batches,
/// every other variable dimension is 1, and values are random from a fixed seed.
/// </summary>
internal static class BenchInputs
{
    /// <summary>The concrete shape to send for a declared shape (-1 = variable).</summary>
    /// <exception cref="UsageException">A batch size above 1 for a model that does not batch.</exception>
    public static long[] Shape(string name, long[] declared, bool batches, int batchSize)
    {
        if (!batches && batchSize != 1)
        {
            throw new UsageException($"--batch-size {batchSize}: the model does not batch (input '{name}' has shape {TensorShape.Format(declared)} and max_batch_size 0)");
        }

        var shape = new long[declared.Length];
        for (var i = 0; i < declared.Length; i++)
        {
            shape[i] = batches && i == 0 ? batchSize : declared[i] < 0 ? 1 : declared[i];
        }

        return shape;
    }

    /// <summary>A tensor of <paramref name="type"/> and <paramref name="shape"/> with random values.</summary>
    public static ClientTensor Random(string name, DataType type, long[] shape, Random random)
    {
        if (!TensorShape.TryGetElementCount(shape, out var count) || count > int.MaxValue / 8)
        {
            throw new UsageException($"input '{name}': shape {TensorShape.Format(shape)} is too large");
        }

        var n = (int)count;
        if (type == DataType.Bytes)
        {
            var strings = new string[n];
            for (var i = 0; i < n; i++)
            {
                strings[i] = "s" + random.Next(1000).ToString(CultureInfo.InvariantCulture);
            }

            return ClientTensor.FromStrings(name, shape, strings);
        }

        var size = type.ElementSize();
        var data = new byte[n * size];
        for (var i = 0; i < n; i++)
        {
            var dst = data.AsSpan(i * size, size);
            switch (type)
            {
                case DataType.Bool:
                    dst[0] = (byte)random.Next(2);
                    break;
                case DataType.UInt8 or DataType.Int8:
                    dst[0] = (byte)random.Next(100);
                    break;
                case DataType.UInt16 or DataType.Int16:
                    BinaryPrimitives.WriteInt16LittleEndian(dst, (short)random.Next(100));
                    break;
                case DataType.UInt32 or DataType.Int32:
                    BinaryPrimitives.WriteInt32LittleEndian(dst, random.Next(100));
                    break;
                case DataType.UInt64 or DataType.Int64:
                    BinaryPrimitives.WriteInt64LittleEndian(dst, random.Next(100));
                    break;
                case DataType.Fp16:
                    BinaryPrimitives.WriteHalfLittleEndian(dst, (Half)random.NextSingle());
                    break;
                case DataType.Bf16:
                    BinaryPrimitives.WriteUInt16LittleEndian(dst, (ushort)(BitConverter.SingleToUInt32Bits(random.NextSingle()) >> 16));
                    break;
                case DataType.Fp32:
                    BinaryPrimitives.WriteSingleLittleEndian(dst, random.NextSingle());
                    break;
                case DataType.Fp64:
                    BinaryPrimitives.WriteDoubleLittleEndian(dst, random.NextDouble());
                    break;
                default:
                    throw new UsageException($"input '{name}': datatype {type.ToWireName()} is not supported by inferd bench");
            }
        }

        return new ClientTensor(name, type, shape, data);
    }
}

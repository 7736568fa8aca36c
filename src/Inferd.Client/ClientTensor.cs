using System.Runtime.InteropServices;
using System.Text;
using Inferd.Abstractions.Tensors;
using Inferd.Client.Internal;

namespace Inferd.Client;

/// <summary>
/// A named tensor in the protocol's binary layout (protocol.md §6): little-endian, row-major, no padding; BOOL is one
/// byte (0 or 1); each BYTES element is a 4-byte little-endian length followed by that many bytes. The same bytes go
/// out as an HTTP binary part or a gRPC raw content entry without re-encoding.
/// </summary>
public sealed class ClientTensor
{
    /// <summary>Creates a tensor over already-encoded data and checks that the data matches the shape.</summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="dataType">Element type.</param>
    /// <param name="shape">Dimensions; every entry must be non-negative.</param>
    /// <param name="data">Encoded elements. Ownership: the tensor keeps a reference; do not change the memory afterwards.</param>
    /// <exception cref="ArgumentException">The shape is invalid or the data does not match it.</exception>
    public ClientTensor(string name, DataType dataType, long[] shape, ReadOnlyMemory<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (dataType == DataType.Invalid)
        {
            throw new ArgumentException("the datatype must be set", nameof(dataType));
        }

        if (!TensorShape.TryGetElementCount(shape, out var count))
        {
            throw new ArgumentException($"tensor '{name}': invalid shape {TensorShape.Format(shape)}", nameof(shape));
        }

        if (dataType == DataType.Bytes)
        {
            if (!BytesTensor.TryCountElements(data.Span, out var actual) || actual != count)
            {
                throw new ArgumentException($"tensor '{name}': BYTES data does not hold exactly {count} length-prefixed elements", nameof(data));
            }
        }
        else if (data.Length != count * dataType.ElementSize())
        {
            throw new ArgumentException(
                $"tensor '{name}': {dataType.ToWireName()} shape {TensorShape.Format(shape)} needs {count * dataType.ElementSize()} bytes, got {data.Length}",
                nameof(data));
        }

        Name = name;
        DataType = dataType;
        Shape = shape;
        Data = data;
        ElementCount = count;
    }

    /// <summary>Tensor name.</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public DataType DataType { get; }

    /// <summary>Dimensions.</summary>
    public long[] Shape { get; }

    /// <summary>Encoded elements in the binary layout.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long ElementCount { get; }

    /// <summary>Wraps a server-side tensor without copying its data.</summary>
    public static ClientTensor FromInferenceTensor(InferenceTensor tensor) => new(tensor.Name, tensor.DataType, tensor.Shape, tensor.Data);

    /// <summary>Returns the server-side view of this tensor without copying its data.</summary>
    public InferenceTensor ToInferenceTensor() => new(Name, DataType, Shape, Data);

    /// <summary>Creates a BOOL tensor.</summary>
    public static ClientTensor FromBools(string name, long[] shape, ReadOnlySpan<bool> values)
    {
        var data = new byte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            data[i] = values[i] ? (byte)1 : (byte)0;
        }

        return new ClientTensor(name, DataType.Bool, shape, data);
    }

    /// <summary>Creates a UINT8 tensor.</summary>
    public static ClientTensor FromUInt8s(string name, long[] shape, ReadOnlySpan<byte> values) => FromPrimitive(name, DataType.UInt8, shape, values);

    /// <summary>Creates a UINT16 tensor.</summary>
    public static ClientTensor FromUInt16s(string name, long[] shape, ReadOnlySpan<ushort> values) => FromPrimitive(name, DataType.UInt16, shape, values);

    /// <summary>Creates a UINT32 tensor.</summary>
    public static ClientTensor FromUInt32s(string name, long[] shape, ReadOnlySpan<uint> values) => FromPrimitive(name, DataType.UInt32, shape, values);

    /// <summary>Creates a UINT64 tensor.</summary>
    public static ClientTensor FromUInt64s(string name, long[] shape, ReadOnlySpan<ulong> values) => FromPrimitive(name, DataType.UInt64, shape, values);

    /// <summary>Creates an INT8 tensor.</summary>
    public static ClientTensor FromInt8s(string name, long[] shape, ReadOnlySpan<sbyte> values) => FromPrimitive(name, DataType.Int8, shape, values);

    /// <summary>Creates an INT16 tensor.</summary>
    public static ClientTensor FromInt16s(string name, long[] shape, ReadOnlySpan<short> values) => FromPrimitive(name, DataType.Int16, shape, values);

    /// <summary>Creates an INT32 tensor.</summary>
    public static ClientTensor FromInt32s(string name, long[] shape, ReadOnlySpan<int> values) => FromPrimitive(name, DataType.Int32, shape, values);

    /// <summary>Creates an INT64 tensor.</summary>
    public static ClientTensor FromInt64s(string name, long[] shape, ReadOnlySpan<long> values) => FromPrimitive(name, DataType.Int64, shape, values);

    /// <summary>Creates an FP16 tensor.</summary>
    public static ClientTensor FromHalves(string name, long[] shape, ReadOnlySpan<Half> values) => FromPrimitive(name, DataType.Fp16, shape, values);

    /// <summary>Creates an FP32 tensor.</summary>
    public static ClientTensor FromFloats(string name, long[] shape, ReadOnlySpan<float> values) => FromPrimitive(name, DataType.Fp32, shape, values);

    /// <summary>Creates an FP64 tensor.</summary>
    public static ClientTensor FromDoubles(string name, long[] shape, ReadOnlySpan<double> values) => FromPrimitive(name, DataType.Fp64, shape, values);

    /// <summary>Creates a BF16 tensor from single-precision values, rounding each to nearest even.</summary>
    public static ClientTensor FromBFloat16s(string name, long[] shape, ReadOnlySpan<float> values)
    {
        var bits = new ushort[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            bits[i] = BFloat16.FromSingle(values[i]);
        }

        return FromPrimitive(name, DataType.Bf16, shape, bits);
    }

    /// <summary>Creates a BYTES tensor of UTF-8 strings.</summary>
    public static ClientTensor FromStrings(string name, long[] shape, IReadOnlyList<string> values) =>
        new(name, DataType.Bytes, shape, BytesTensor.EncodeStrings(values));

    /// <summary>Creates a BYTES tensor of arbitrary byte strings.</summary>
    public static ClientTensor FromBytes(string name, long[] shape, IReadOnlyList<byte[]> values) =>
        new(name, DataType.Bytes, shape, BytesTensor.Encode(values.Select(v => (ReadOnlyMemory<byte>)v).ToArray()));

    /// <summary>Reads a BOOL tensor.</summary>
    public bool[] AsBools()
    {
        Expect(DataType.Bool);
        var span = Data.Span;
        var result = new bool[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            result[i] = span[i] != 0;
        }

        return result;
    }

    /// <summary>Reads a UINT8 tensor.</summary>
    public byte[] AsUInt8s() => AsPrimitive<byte>(DataType.UInt8);

    /// <summary>Reads a UINT16 tensor.</summary>
    public ushort[] AsUInt16s() => AsPrimitive<ushort>(DataType.UInt16);

    /// <summary>Reads a UINT32 tensor.</summary>
    public uint[] AsUInt32s() => AsPrimitive<uint>(DataType.UInt32);

    /// <summary>Reads a UINT64 tensor.</summary>
    public ulong[] AsUInt64s() => AsPrimitive<ulong>(DataType.UInt64);

    /// <summary>Reads an INT8 tensor.</summary>
    public sbyte[] AsInt8s() => AsPrimitive<sbyte>(DataType.Int8);

    /// <summary>Reads an INT16 tensor.</summary>
    public short[] AsInt16s() => AsPrimitive<short>(DataType.Int16);

    /// <summary>Reads an INT32 tensor.</summary>
    public int[] AsInt32s() => AsPrimitive<int>(DataType.Int32);

    /// <summary>Reads an INT64 tensor.</summary>
    public long[] AsInt64s() => AsPrimitive<long>(DataType.Int64);

    /// <summary>Reads an FP16 tensor.</summary>
    public Half[] AsHalves() => AsPrimitive<Half>(DataType.Fp16);

    /// <summary>Reads an FP32 tensor.</summary>
    public float[] AsFloats() => AsPrimitive<float>(DataType.Fp32);

    /// <summary>Reads an FP64 tensor.</summary>
    public double[] AsDoubles() => AsPrimitive<double>(DataType.Fp64);

    /// <summary>Reads a BF16 tensor, widening each element to single precision (exact).</summary>
    public float[] AsBFloat16s() => Array.ConvertAll(AsPrimitive<ushort>(DataType.Bf16), BFloat16.ToSingle);

    /// <summary>Reads a BYTES tensor as UTF-8 strings (invalid sequences become U+FFFD).</summary>
    public string[] AsStrings()
    {
        Expect(DataType.Bytes);
        return Array.ConvertAll(BytesTensor.Split(Data), e => Encoding.UTF8.GetString(e.Span));
    }

    /// <summary>Reads a BYTES tensor as byte strings.</summary>
    public byte[][] AsByteArrays()
    {
        Expect(DataType.Bytes);
        return Array.ConvertAll(BytesTensor.Split(Data), e => e.ToArray());
    }

    /// <summary>
    /// Widens every element of a numeric or BOOL tensor to <see cref="double"/> (UINT64/INT64 beyond 2^53 lose
    /// precision), e.g. for display. BYTES tensors are refused.
    /// </summary>
    public double[] ToDoubles() => DataType switch
    {
        DataType.Bool => Array.ConvertAll(AsBools(), b => b ? 1.0 : 0.0),
        DataType.UInt8 => Array.ConvertAll(AsUInt8s(), v => (double)v),
        DataType.UInt16 => Array.ConvertAll(AsUInt16s(), v => (double)v),
        DataType.UInt32 => Array.ConvertAll(AsUInt32s(), v => (double)v),
        DataType.UInt64 => Array.ConvertAll(AsUInt64s(), v => (double)v),
        DataType.Int8 => Array.ConvertAll(AsInt8s(), v => (double)v),
        DataType.Int16 => Array.ConvertAll(AsInt16s(), v => (double)v),
        DataType.Int32 => Array.ConvertAll(AsInt32s(), v => (double)v),
        DataType.Int64 => Array.ConvertAll(AsInt64s(), v => (double)v),
        DataType.Fp16 => Array.ConvertAll(AsHalves(), v => (double)v),
        DataType.Fp32 => Array.ConvertAll(AsFloats(), v => (double)v),
        DataType.Fp64 => AsDoubles(),
        DataType.Bf16 => Array.ConvertAll(AsBFloat16s(), v => (double)v),
        _ => throw new InvalidOperationException($"tensor '{Name}' is {DataType.ToWireName()}, not numeric"),
    };

    /// <inheritdoc />
    public override string ToString() => $"{Name} {DataType.ToWireName()} {TensorShape.Format(Shape)}";

    private static ClientTensor FromPrimitive<T>(string name, DataType type, long[] shape, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        LittleEndian.Require();
        return new ClientTensor(name, type, shape, MemoryMarshal.AsBytes(values).ToArray());
    }

    private T[] AsPrimitive<T>(DataType expected)
        where T : unmanaged
    {
        Expect(expected);
        LittleEndian.Require();
        var result = new T[ElementCount];
        // Copy into a fresh array rather than casting the span: the source may be unaligned (a slice of a body).
        Data.Span.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    private void Expect(DataType expected)
    {
        if (DataType != expected)
        {
            throw new InvalidOperationException($"tensor '{Name}' is {DataType.ToWireName()}, not {expected.ToWireName()}");
        }
    }
}

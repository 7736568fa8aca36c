using Inferd.Abstractions.Tensors;

namespace Inferd.Client.Tests;

public sealed class ClientTensorTests
{
    [Fact]
    public void FromFloats_RoundTrip_KeepsValuesAndLayout()
    {
        var tensor = ClientTensor.FromFloats("x", [2, 2], [1.5f, -2f, float.NaN, float.PositiveInfinity]);

        Assert.Equal(16, tensor.Data.Length);
        Assert.Equal(new byte[] { 0, 0, 0xC0, 0x3F }, tensor.Data[..4].ToArray()); // 1.5f little-endian
        Assert.Equal([1.5f, -2f, float.NaN, float.PositiveInfinity], tensor.AsFloats());
    }

    [Fact]
    public void FromStrings_RoundTrip_UsesLengthPrefixes()
    {
        var tensor = ClientTensor.FromStrings("s", [2], ["ab", "é"]);

        Assert.Equal(new byte[] { 2, 0, 0, 0, (byte)'a', (byte)'b', 2, 0, 0, 0, 0xC3, 0xA9 }, tensor.Data.ToArray());
        Assert.Equal(["ab", "é"], tensor.AsStrings());
    }

    [Fact]
    public void FromBools_RoundTrip_OneBytePerElement()
    {
        var tensor = ClientTensor.FromBools("b", [3], [true, false, true]);

        Assert.Equal(new byte[] { 1, 0, 1 }, tensor.Data.ToArray());
        Assert.Equal([true, false, true], tensor.AsBools());
    }

    [Fact]
    public void FromIntegers_RoundTrip_EveryWidth()
    {
        Assert.Equal([-1, 7], ClientTensor.FromInt8s("a", [2], [-1, 7]).AsInt8s());
        Assert.Equal([-300, 300], ClientTensor.FromInt16s("a", [2], [-300, 300]).AsInt16s());
        Assert.Equal([int.MinValue, 3], ClientTensor.FromInt32s("a", [2], [int.MinValue, 3]).AsInt32s());
        Assert.Equal([long.MaxValue], ClientTensor.FromInt64s("a", [1], [long.MaxValue]).AsInt64s());
        Assert.Equal([255], ClientTensor.FromUInt8s("a", [1], [255]).AsUInt8s());
        Assert.Equal([ulong.MaxValue], ClientTensor.FromUInt64s("a", [1], [ulong.MaxValue]).AsUInt64s());
        Assert.Equal([0.25], ClientTensor.FromDoubles("a", [1], [0.25]).AsDoubles());
        Assert.Equal([(Half)1.5], ClientTensor.FromHalves("a", [1], [(Half)1.5]).AsHalves());
    }

    [Fact]
    public void FromBFloat16s_ExactValues_RoundTrip()
    {
        var tensor = ClientTensor.FromBFloat16s("h", [3], [1f, -2.5f, 65536f]);

        Assert.Equal(DataType.Bf16, tensor.DataType);
        Assert.Equal(new byte[] { 0x80, 0x3F }, tensor.Data[..2].ToArray());
        Assert.Equal([1f, -2.5f, 65536f], tensor.AsBFloat16s());
    }

    [Fact]
    public void Constructor_DataDoesNotMatchShape_Throws()
    {
        Assert.Throws<ArgumentException>(() => ClientTensor.FromFloats("x", [3], [1f, 2f]));
        Assert.Throws<ArgumentException>(() => new ClientTensor("x", DataType.Bytes, [1], new byte[] { 5, 0, 0, 0, 1 }));
        Assert.Throws<ArgumentException>(() => new ClientTensor("x", DataType.Fp32, [-1], Array.Empty<byte>()));
    }

    [Fact]
    public void Accessor_WrongType_Throws()
    {
        var tensor = ClientTensor.FromInt32s("x", [1], [1]);

        Assert.Throws<InvalidOperationException>(() => tensor.AsFloats());
    }

    [Fact]
    public void InferenceTensor_RoundTrip_SharesData()
    {
        var tensor = ClientTensor.FromInt64s("x", [1, 2], [4, 5]);

        var back = ClientTensor.FromInferenceTensor(tensor.ToInferenceTensor());

        Assert.Equal("x", back.Name);
        Assert.Equal(DataType.Int64, back.DataType);
        Assert.Equal([1L, 2L], back.Shape);
        Assert.True(back.Data.Span.SequenceEqual(tensor.Data.Span));
        Assert.Equal([4L, 5L], back.AsInt64s());
    }
}

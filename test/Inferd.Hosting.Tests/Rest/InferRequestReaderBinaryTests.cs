using System.Buffers.Binary;
using Inferd.Abstractions.Tensors;
using Inferd.Hosting.Rest;
using static Inferd.Hosting.Tests.Rest.RestTestData;

namespace Inferd.Hosting.Tests.Rest;

public sealed class InferRequestReaderBinaryTests
{
    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    private static string BinaryInput(string name, string datatype, string shape, long size) =>
        $$$"""{"name":"{{{name}}}","datatype":"{{{datatype}}}","shape":{{{shape}}},"parameters":{"binary_data_size":{{{size}}}}}""";

    [Fact]
    public void Read_MixedJsonAndBinaryInputs_SlicesInOrder()
    {
        var a = Floats(1, 2, 3);
        var c = BytesTensor.EncodeStrings(["x", "yz"]);
        var json = Request(BinaryInput("a", "FP32", "[3]", a.Length), Input("b", "INT32", "[1]", "[7]"), BinaryInput("c", "BYTES", "[2]", c.Length));

        var request = ReadBinary(json, a, c);

        Assert.Equal(a, request.Inputs[0].Data.ToArray());
        Assert.Equal([7, 0, 0, 0], request.Inputs[1].Data.ToArray());
        Assert.Equal(c, request.Inputs[2].Data.ToArray());
    }

    [Fact]
    public void Read_BinaryBytesWithEmbeddedNul_RoundTripsExactly()
    {
        var c = BytesTensor.Encode(["abc\0def"u8.ToArray()]);

        var request = ReadBinary(Request(BinaryInput("c", "BYTES", "[1]", c.Length)), c);

        Assert.Equal("abc\0def"u8.ToArray(), BytesTensor.Split(request.Inputs[0].Data)[0].ToArray());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("abc")]
    [InlineData(" 5")]
    [InlineData("")]
    [InlineData("99999999999")]
    [InlineData("9999999999999999999999")]
    public void Read_HeaderLengthLies_AreRejected(string header)
    {
        var (body, _) = Binary(Request(BinaryInput("a", "FP32", "[1]", 4)), Floats(1));

        Invalid(() => InferRequestReader.Read(body, header, "m", null, Limits, NoRaw));
    }

    [Fact]
    public void Read_HeaderLengthOneLargerThanBody_IsRejected()
    {
        var (body, _) = Binary(Request(BinaryInput("a", "FP32", "[1]", 4)), Floats(1));

        var error = Invalid(() => InferRequestReader.Read(body, (body.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "m", null, Limits, NoRaw));

        Assert.Contains("larger than the request body", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 8)]
    [InlineData(8, 4)]
    public void Read_SumOfBinarySizesDiffersFromRemainder_IsRejected(int declared, int sent) =>
        Invalid(() => ReadBinary(Request(BinaryInput("a", "FP32", "[1]", declared)), new byte[sent]));

    [Fact]
    public void Read_BinarySizeDiffersFromShape_IsRejected() =>
        Invalid(() => ReadBinary(Request(BinaryInput("a", "FP32", "[2]", 4)), Floats(1)));

    [Fact]
    public void Read_BinaryWithoutHeader_IsRejected()
    {
        var (body, _) = Binary(Request(BinaryInput("a", "FP32", "[1]", 4)), Floats(1));

        Invalid(() => InferRequestReader.Read(body, null, "m", null, Limits, NoRaw));
    }

    [Fact]
    public void Read_BytesPrefixRunsPastEnd_IsRejected()
    {
        byte[] bad = [10, 0, 0, 0, (byte)'a'];

        var error = Invalid(() => ReadBinary(Request(BinaryInput("c", "BYTES", "[1]", bad.Length)), bad));

        Assert.Contains("length prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BytesEndsInsidePrefix_IsRejected() =>
        Invalid(() => ReadBinary(Request(BinaryInput("c", "BYTES", "[2]", 6)), [0, 0, 0, 0, 1, 0]));

    [Fact]
    public void Read_BytesElementCountDiffersFromShape_IsRejected()
    {
        var c = BytesTensor.EncodeStrings(["a", "b", "c"]);

        Invalid(() => ReadBinary(Request(BinaryInput("c", "BYTES", "[2]", c.Length)), c));
    }

    [Fact]
    public void Read_DataAndBinarySizeTogether_IsRejected() =>
        Invalid(() => ReadBinary("""{"inputs":[{"name":"a","datatype":"FP32","shape":[1],"data":[1],"parameters":{"binary_data_size":4}}]}""", Floats(1)));

    [Theory]
    [InlineData("-4")]
    [InlineData("4.5")]
    [InlineData("\"4\"")]
    public void Read_BadBinarySize_IsRejected(string size) =>
        Invalid(() => ReadBinary($$$"""{"inputs":[{"name":"a","datatype":"FP32","shape":[1],"parameters":{"binary_data_size":{{{size}}}}}]}""", Floats(1)));

    [Fact]
    public void Read_Fp16Binary_IsAccepted()
    {
        var request = ReadBinary(Request(BinaryInput("h", "FP16", "[2]", 4)), [0, 0x3C, 0, 0xC0]);

        Assert.Equal(DataType.Fp16, request.Inputs[0].DataType);
        Assert.Equal(4, request.Inputs[0].Data.Length);
    }

    [Fact]
    public void Read_RawBody_DerivesVariableDimAndPrependsBatch()
    {
        var body = Floats(1, 2, 3, 4, 5, 6);

        var request = InferRequestReader.Read(body, "0", "m", "2", Limits, () => Raw(DataType.Fp32, batches: true, -1, -1, 3));

        var tensor = Assert.Single(request.Inputs);
        Assert.Equal("in", tensor.Name);
        Assert.Equal([1L, 2, 3], tensor.Shape);
        Assert.Equal(body, tensor.Data.ToArray());
        Assert.True(request.Parameters[InferRequestReader.BinaryDataOutput].Bool);
        Assert.Empty(request.Outputs);
        Assert.Equal("2", request.ModelVersion);
    }

    [Fact]
    public void Read_RawBodyWithoutBatching_KeepsShape() =>
        Assert.Equal([4L], InferRequestReader.Read(Floats(1, 2, 3, 4), "0", "m", null, Limits, () => Raw(DataType.Fp32, batches: false, 4)).Inputs[0].Shape);

    [Fact]
    public void Read_RawBytes_IsOneElementOfShapeOne()
    {
        var request = InferRequestReader.Read("hi\0"u8.ToArray(), "0", "m", null, Limits, () => Raw(DataType.Bytes, batches: true, -1, 1));

        Assert.Equal([1L, 1], request.Inputs[0].Shape);
        Assert.Equal("hi\0"u8.ToArray(), BytesTensor.Split(request.Inputs[0].Data)[0].ToArray());
    }

    [Fact]
    public void Read_RawBodyForTwoInputModel_IsRejected() =>
        Invalid(() => InferRequestReader.Read(Floats(1), "0", "m", null, Limits,
            () => new RawInputSpec([new("a", DataType.Fp32, [1]), new("b", DataType.Fp32, [1])], false)));

    [Fact]
    public void Read_RawBodyWithTwoVariableDims_IsRejected() =>
        Invalid(() => InferRequestReader.Read(Floats(1, 2), "0", "m", null, Limits, () => Raw(DataType.Fp32, batches: false, -1, -1)));

    [Fact]
    public void Read_RawBodyNotAMultiple_IsRejected() =>
        Invalid(() => InferRequestReader.Read(new byte[10], "0", "m", null, Limits, () => Raw(DataType.Fp32, batches: false, -1, 2)));

    [Fact]
    public void Read_RawBodyWrongFixedSize_IsRejected() =>
        Invalid(() => InferRequestReader.Read(new byte[12], "0", "m", null, Limits, () => Raw(DataType.Fp32, batches: false, 2)));

    [Fact]
    public void Read_RawBytesForNonScalarShape_IsRejected() =>
        Invalid(() => InferRequestReader.Read(new byte[3], "0", "m", null, Limits, () => Raw(DataType.Bytes, batches: false, 2)));
}

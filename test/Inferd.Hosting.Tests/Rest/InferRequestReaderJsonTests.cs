using System.Buffers.Binary;
using System.Text;
using Inferd.Abstractions.Tensors;
using static Inferd.Hosting.Tests.Rest.RestTestData;

namespace Inferd.Hosting.Tests.Rest;

public sealed class InferRequestReaderJsonTests
{
    public static TheoryData<string, string, byte[]> EveryJsonDatatype => new()
    {
        { "BOOL", "[true,false]", [1, 0] },
        { "UINT8", "[0,255]", [0, 255] },
        { "INT8", "[-128,127]", [0x80, 0x7F] },
        { "UINT16", "[1,65535]", [1, 0, 0xFF, 0xFF] },
        { "INT16", "[-2,300]", [0xFE, 0xFF, 0x2C, 0x01] },
        { "UINT32", "[1,4294967295]", [1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "INT32", "[-1,2]", [0xFF, 0xFF, 0xFF, 0xFF, 2, 0, 0, 0] },
        { "UINT64", "[1,18446744073709551615]", [1, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] },
        { "INT64", "[-1,9223372036854775807]", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] },
        { "FP32", "[1.5,-2]", [0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0] },
        { "FP64", "[1.5,-2]", [0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0] },
        { "BYTES", "[\"ab\",\"\"]", [2, 0, 0, 0, (byte)'a', (byte)'b', 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(EveryJsonDatatype))]
    public void Read_JsonDatatype_ProducesBinaryLayout(string datatype, string data, byte[] expected)
    {
        var request = ReadJson(Request(Input("x", datatype, "[2]", data)));

        var tensor = Assert.Single(request.Inputs);
        Assert.True(DataTypes.TryParseWireName(datatype, out var type));
        Assert.Equal(type, tensor.DataType);
        Assert.Equal([2L], tensor.Shape);
        Assert.Equal(expected, tensor.Data.ToArray());
    }

    [Fact]
    public void Read_NestedAndFlatData_ProduceSameBytes()
    {
        var flat = ReadJson(Request(Input("x", "INT32", "[2,3]", "[1,2,3,4,5,6]")));
        var nested = ReadJson(Request(Input("x", "INT32", "[2,3]", "[[1,2,3],[4,5,6]]")));

        Assert.Equal(flat.Inputs[0].Data.ToArray(), nested.Inputs[0].Data.ToArray());
    }

    [Fact]
    public void Read_RequestFields_AreKept()
    {
        var json = """
            {"id":"r-1","parameters":{"priority":1,"timeout":100,"binary_data_output":true,"s":"v","d":0.5},
             "inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]}],
             "outputs":[{"name":"y","parameters":{"binary_data":true,"classification":2}}]}
            """;

        var request = ReadJson(json);

        Assert.Equal("r-1", request.Id);
        Assert.Equal("m", request.ModelName);
        Assert.Equal(1, request.Parameters["priority"].Int64);
        Assert.Equal(100, request.Parameters["timeout"].Int64);
        Assert.True(request.Parameters["binary_data_output"].Bool);
        Assert.Equal("v", request.Parameters["s"].String);
        Assert.Equal(0.5, request.Parameters["d"].Double);
        var output = Assert.Single(request.Outputs);
        Assert.True(output.Parameters["binary_data"].Bool);
        Assert.Equal(2, output.ClassificationCount);
    }

    [Fact]
    public void Read_ElementCountDiffersFromShape_IsRejected()
    {
        var error = Invalid(() => ReadJson(Request(Input("x", "FP32", "[2,2]", "[1,2,3]"))));

        Assert.Contains("expected 4 elements, got 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FP32", "[true]")]
    [InlineData("FP32", "[\"1.0\"]")]
    [InlineData("FP64", "[null]")]
    [InlineData("INT32", "[1.5]")]
    [InlineData("INT64", "[\"1\"]")]
    [InlineData("BOOL", "[1]")]
    [InlineData("BOOL", "[\"true\"]")]
    [InlineData("BYTES", "[1]")]
    [InlineData("INT32", "[{}]")]
    public void Read_ElementOfWrongJsonKind_IsRejected(string datatype, string data) =>
        Invalid(() => ReadJson(Request(Input("x", datatype, "[1]", data))));

    [Theory]
    [InlineData("INT8", "[300]")]
    [InlineData("INT8", "[-129]")]
    [InlineData("UINT8", "[-1]")]
    [InlineData("UINT16", "[65536]")]
    [InlineData("INT32", "[2147483648]")]
    [InlineData("UINT64", "[-1]")]
    [InlineData("INT64", "[9223372036854775808]")]
    [InlineData("FP32", "[1e39]")]
    [InlineData("FP64", "[1e309]")]
    public void Read_ValueOutOfRange_IsRejected(string datatype, string data)
    {
        var error = Invalid(() => ReadJson(Request(Input("x", datatype, "[1]", data))));

        Assert.Contains("out of range", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FP32", "[3]")]
    [InlineData("FP64", "[-7]")]
    [InlineData("INT32", "[3.0]")]
    public void Read_IntegerForFloatOrWholeFloatForInt_IsAccepted(string datatype, string data) =>
        Assert.Single(ReadJson(Request(Input("x", datatype, "[1]", data))).Inputs);

    [Theory]
    [InlineData("FP16")]
    [InlineData("BF16")]
    public void Read_HalfPrecisionInJson_IsRejectedWithHint(string datatype)
    {
        var error = Invalid(() => ReadJson(Request(Input("x", datatype, "[1]", "[1.0]"))));

        Assert.Equal($"{datatype} has no JSON form; send it as binary", error.Message);
    }

    [Fact]
    public void Read_NonFiniteStrings_AreAcceptedForFloats()
    {
        var request = ReadJson(Request(Input("x", "FP32", "[3]", "[\"NaN\",\"Infinity\",\"-Infinity\"]")));

        var span = request.Inputs[0].Data.Span;
        Assert.True(float.IsNaN(BinaryPrimitives.ReadSingleLittleEndian(span)));
        Assert.Equal(float.PositiveInfinity, BinaryPrimitives.ReadSingleLittleEndian(span[4..]));
        Assert.Equal(float.NegativeInfinity, BinaryPrimitives.ReadSingleLittleEndian(span[8..]));
    }

    [Fact]
    public void Read_NonFiniteStringsWhenDisallowed_AreRejected() =>
        Invalid(() => ReadJson(Request(Input("x", "FP64", "[1]", "[\"NaN\"]")), Limits with { AllowNonFiniteJsonInput = false }));

    [Fact]
    public void Read_NonFiniteStringForInteger_IsRejected() =>
        Invalid(() => ReadJson(Request(Input("x", "INT32", "[1]", "[\"NaN\"]"))));

    [Fact]
    public void Read_BytesWithEmbeddedNul_RoundTripsExactly()
    {
        var request = ReadJson(Request(Input("x", "BYTES", "[1]", "[\"abc\\u0000def\"]")));

        var element = Assert.Single(BytesTensor.Split(request.Inputs[0].Data));
        Assert.Equal("abc\0def"u8.ToArray(), element.ToArray());
    }

    [Fact]
    public void Read_BytesUnicode_IsUtf8Encoded()
    {
        var request = ReadJson(Request(Input("x", "BYTES", "[1]", "[\"é\"]")));

        Assert.Equal(Encoding.UTF8.GetBytes("é"), BytesTensor.Split(request.Inputs[0].Data)[0].ToArray());
    }

    [Fact]
    public void Read_BytesLoneSurrogate_IsRejected() =>
        Invalid(() => ReadJson(Request(Input("x", "BYTES", "[1]", "[\"\\ud800\"]"))));

    [Fact]
    public void Read_UnknownDatatype_IsRejected() =>
        Invalid(() => ReadJson(Request(Input("x", "fp32", "[1]", "[1]"))));
}

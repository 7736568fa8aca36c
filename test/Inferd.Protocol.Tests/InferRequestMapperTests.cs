using Google.Protobuf;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.Grpc;
using Inferd.Protocol.V2;
using static Inferd.Protocol.Tests.Requests;

namespace Inferd.Protocol.Tests;

public sealed class InferRequestMapperTests
{
    private static readonly RequestLimits Limits = new();

    [Theory]
    [MemberData(nameof(TypedCases.DataTypeNames), MemberType = typeof(TypedCases))]
    public void ToCore_TypedContents_EncodesBinaryLayout(string datatype)
    {
        // Arrange
        var (contents, expected) = TypedCases.For(datatype);
        var input = Input("x", datatype, 3);
        input.Contents = contents;
        var request = WithInputs(input);

        // Act
        var core = request.ToCore(Limits);

        // Assert
        var tensor = Assert.Single(core.Inputs);
        Assert.Equal(TypedCases.Parse(datatype), tensor.DataType);
        Assert.Equal([3L], tensor.Shape);
        Assert.Equal(expected, tensor.Data.ToArray());
    }

    [Theory]
    [MemberData(nameof(TypedCases.DataTypeNames), MemberType = typeof(TypedCases))]
    public void ToCore_RawContents_HandsBytesThrough(string datatype)
    {
        // Arrange
        var (_, expected) = TypedCases.For(datatype);
        var request = Raw(datatype, [3], expected);

        // Act
        var tensor = Assert.Single(request.ToCore(Limits).Inputs);

        // Assert
        Assert.Equal(expected, tensor.Data.ToArray());
    }

    [Theory]
    [InlineData("FP16")]
    [InlineData("BF16")]
    public void ToCore_HalfPrecisionRaw_Accepted(string datatype)
    {
        // Arrange
        byte[] data = [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x02, 0x03, 0x04];
        var request = Raw(datatype, [2, 2], data);

        // Act
        var tensor = Assert.Single(request.ToCore(Limits).Inputs);

        // Assert
        Assert.Equal(TypedCases.Parse(datatype), tensor.DataType);
        Assert.Equal(data, tensor.Data.ToArray());
    }

    [Theory]
    [InlineData("FP16")]
    [InlineData("BF16")]
    public void ToCore_HalfPrecisionTyped_InvalidInput(string datatype)
    {
        var input = Input("x", datatype, 1);
        input.Contents = new InferTensorContents();
        input.Contents.Fp32Contents.Add(1f);

        AssertInvalid(WithInputs(input), "raw_input_contents");
    }

    [Fact]
    public void ToCore_RequestFields_Mapped()
    {
        // Arrange
        var request = Raw("UINT8", [1], [9]);
        request.ModelVersion = "3";
        request.Parameters.Add("priority", new InferParameter { Int64Param = 2 });
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "y" });
        request.Outputs[0].Parameters.Add("classification", new InferParameter { Int64Param = 3 });

        // Act
        var core = request.ToCore(Limits);

        // Assert
        Assert.Equal("m", core.ModelName);
        Assert.Equal("3", core.ModelVersion);
        Assert.Equal("req-1", core.Id);
        Assert.Equal(ParameterValue.FromInt64(2), core.Parameters["priority"]);
        var output = Assert.Single(core.Outputs);
        Assert.Equal("y", output.Name);
        Assert.Equal(3, output.ClassificationCount);
    }

    [Fact]
    public void ToCore_EmptyVersionAndId_BecomeNull()
    {
        var request = Raw("UINT8", [1], [9]);
        request.Id = "";

        var core = request.ToCore(Limits);

        Assert.Null(core.ModelVersion);
        Assert.Null(core.Id);
    }

    [Fact]
    public void ToCore_RawCountMismatch_InvalidInput()
    {
        var request = WithInputs(Input("a", "UINT8", 1), Input("b", "UINT8", 1));
        request.RawInputContents.Add(ByteString.CopyFrom(1));

        AssertInvalid(request, "one per input");
    }

    [Fact]
    public void ToCore_RawMixedWithTyped_InvalidInput()
    {
        var request = WithInputs(Input("a", "UINT8", 1), Input("b", "UINT8", 1));
        request.Inputs[1].Contents = new InferTensorContents();
        request.Inputs[1].Contents.UintContents.Add(1);
        request.RawInputContents.Add(ByteString.CopyFrom(1));
        request.RawInputContents.Add(ByteString.CopyFrom(2));

        AssertInvalid(request, "one or the other");
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(0)]
    public void ToCore_RawSizeMismatch_InvalidInput(int length)
    {
        var request = Raw("FP32", [3], new byte[length]);

        AssertInvalid(request, "need 12");
    }

    [Fact]
    public void ToCore_TypedCountMismatch_InvalidInput()
    {
        var input = Input("x", "FP32", 2, 2);
        input.Contents = new InferTensorContents();
        input.Contents.Fp32Contents.AddRange([1f, 2f, 3f]);

        AssertInvalid(WithInputs(input), "needs 4");
    }

    [Fact]
    public void ToCore_TypedWrongField_InvalidInput()
    {
        var input = Input("x", "INT32", 1);
        input.Contents = new InferTensorContents();
        input.Contents.IntContents.Add(1);
        input.Contents.Fp32Contents.Add(1f);

        AssertInvalid(WithInputs(input), "does not match datatype");
    }

    [Fact]
    public void ToCore_OverflowShape_RejectedWithoutAllocating()
    {
        // Arrange: 16 × (2^60 + 2) overflows int64 (bad-inputs.md row 5).
        var request = Raw("FP32", [16, (1L << 60) + 2], [1, 2, 3, 4]);
        _ = Record.Exception(() => Raw("FP32", [1], [0, 0, 0, 0]).ToCore(Limits)); // warm up code paths

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Record.Exception(() => request.ToCore(Limits));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Equal(InferenceErrorKind.InvalidInput, Assert.IsType<InferenceException>(error).Kind);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void ToCore_ShapeBeyondElementLimit_InvalidInput()
    {
        var request = Raw("UINT8", [1L << 40], []);

        AssertInvalid(request, "limit");
    }

    [Fact]
    public void ToCore_NegativeDimension_InvalidInput()
    {
        AssertInvalid(Raw("UINT8", [-1], [1]), "negative");
    }

    [Fact]
    public void ToCore_RankBeyondLimit_InvalidInput()
    {
        var request = Raw("UINT8", Enumerable.Repeat(1L, 17).ToArray(), [1]);

        AssertInvalid(request, "rank");
    }

    [Theory]
    [InlineData("FLOAT32")]
    [InlineData("fp32")]
    [InlineData("STRING")]
    [InlineData("")]
    public void ToCore_UnknownDatatype_InvalidInput(string datatype)
    {
        AssertInvalid(Raw(datatype, [1], [1]), "unknown datatype");
    }

    [Fact]
    public void ToCore_DuplicateInputNames_InvalidInput()
    {
        var request = WithInputs(Input("a", "UINT8", 1), Input("a", "UINT8", 1));
        request.RawInputContents.Add(ByteString.CopyFrom(1));
        request.RawInputContents.Add(ByteString.CopyFrom(2));

        AssertInvalid(request, "more than once");
    }

    [Fact]
    public void ToCore_DuplicateOutputNames_InvalidInput()
    {
        var request = Raw("UINT8", [1], [1]);
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "y" });
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "y" });

        AssertInvalid(request, "more than once");
    }

    [Theory]
    [InlineData("UINT8", 256u)]
    [InlineData("UINT16", 65536u)]
    public void ToCore_UintOutOfRange_InvalidInput(string datatype, uint value)
    {
        var input = Input("x", datatype, 1);
        input.Contents = new InferTensorContents();
        input.Contents.UintContents.Add(value);

        AssertInvalid(WithInputs(input), "outside the range");
    }

    [Theory]
    [InlineData("INT8", 128)]
    [InlineData("INT8", -129)]
    [InlineData("INT16", 32768)]
    [InlineData("INT16", -32769)]
    public void ToCore_IntOutOfRange_InvalidInput(string datatype, int value)
    {
        var input = Input("x", datatype, 1);
        input.Contents = new InferTensorContents();
        input.Contents.IntContents.Add(value);

        AssertInvalid(WithInputs(input), "outside the range");
    }

    [Theory]
    [InlineData(new byte[] { 5, 0, 0, 0, 1, 2 })]
    [InlineData(new byte[] { 1, 0, 0 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    public void ToCore_BytesMalformedPrefix_InvalidInput(byte[] data)
    {
        AssertInvalid(Raw("BYTES", [1], data), "length prefix");
    }

    [Fact]
    public void ToCore_BytesElementCountMismatch_InvalidInput()
    {
        var data = BytesTensor.EncodeStrings(["a", "b", "c"]);

        AssertInvalid(Raw("BYTES", [2], data), "needs 2");
    }

    [Fact]
    public void ToCore_BytesWithNul_RoundTripsExactly()
    {
        var data = BytesTensor.EncodeStrings(["abc\0def"]);

        var tensor = Assert.Single(Raw("BYTES", [1], data).ToCore(Limits).Inputs);

        Assert.Equal(data, tensor.Data.ToArray());
    }

    [Theory]
    [InlineData("shared_memory_region")]
    [InlineData("shared_memory_offset")]
    [InlineData("shared_memory_byte_size")]
    public void ToCore_SharedMemoryParameter_InvalidInput(string key)
    {
        var request = Raw("UINT8", [1], [1]);
        request.Inputs[0].Parameters.Add(key, new InferParameter { StringParam = "region" });

        AssertInvalid(request, "shared memory");
    }

    [Fact]
    public void ToCore_TooManyInputs_InvalidInput()
    {
        var limits = new RequestLimits { MaxInputsPerRequest = 1 };
        var request = WithInputs(Input("a", "UINT8", 0), Input("b", "UINT8", 0));

        AssertInvalid(request, "inputs", limits);
    }

    [Fact]
    public void ToCore_TooManyOutputs_InvalidInput()
    {
        var limits = new RequestLimits { MaxOutputsPerRequest = 1 };
        var request = Raw("UINT8", [1], [1]);
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "y" });
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "z" });

        AssertInvalid(request, "outputs", limits);
    }

    [Fact]
    public void ToCore_TooManyParameters_InvalidInput()
    {
        var limits = new RequestLimits { MaxParameters = 1 };
        var request = Raw("UINT8", [1], [1]);
        request.Parameters.Add("a", new InferParameter { BoolParam = true });
        request.Parameters.Add("b", new InferParameter { BoolParam = true });

        AssertInvalid(request, "parameters", limits);
    }

    [Fact]
    public void ToCore_ParameterValueTooLong_InvalidInput()
    {
        var limits = new RequestLimits { MaxParameterLength = 8 };
        var request = Raw("UINT8", [1], [1]);
        request.Parameters.Add("a", new InferParameter { StringParam = new string('x', 9) });

        AssertInvalid(request, "longer than 8", limits);
    }

    [Fact]
    public void ToCore_EmptyModelName_InvalidInput()
    {
        var request = Raw("UINT8", [1], [1]);
        request.ModelName = "";

        AssertInvalid(request, "model_name");
    }

    [Fact]
    public void ToCore_ErrorMessage_DoesNotEchoPayload()
    {
        var input = Input("x", "UINT8", 1);
        input.Contents = new InferTensorContents();
        input.Contents.UintContents.Add(123456789);

        var error = Assert.Throws<InferenceException>(() => WithInputs(input).ToCore(Limits));

        Assert.DoesNotContain("123456789", error.Message, StringComparison.Ordinal);
    }

    private static void AssertInvalid(ModelInferRequest request, string messagePart, RequestLimits? limits = null)
    {
        var error = Assert.Throws<InferenceException>(() => request.ToCore(limits ?? Limits));
        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }
}

using System.Text;
using Inferd.Abstractions.Inference;
using static Inferd.Hosting.Tests.Rest.RestTestData;

namespace Inferd.Hosting.Tests.Rest;

public sealed class InferRequestReaderLimitTests
{
    private static string WithDeepField(int totalDepth)
    {
        // Root object is level 1; the ignored "extra" field adds totalDepth - 1 nested arrays.
        var nest = totalDepth - 1;
        return $$"""{"inputs":[{{Input("x", "INT32", "[1]", "[1]")}}],"extra":{{new string('[', nest)}}{{new string(']', nest)}}}""";
    }

    [Theory]
    [InlineData(63)]
    [InlineData(64)]
    public void Read_JsonDepthWithinLimit_IsAccepted(int depth) =>
        Assert.Single(ReadJson(WithDeepField(depth)).Inputs);

    [Fact]
    public void Read_JsonDepth65_IsRejected()
    {
        var error = Invalid(() => ReadJson(WithDeepField(65)));

        Assert.Contains("nested deeper than 64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[-1]")]
    [InlineData("[1.5]")]
    [InlineData("[\"2\"]")]
    [InlineData("[1e2]")]
    [InlineData("[18446744073709551615]")]
    [InlineData("3")]
    public void Read_BadDimension_IsRejected(string shape) =>
        Invalid(() => ReadJson(Request(Input("x", "FP32", shape, "[]"))));

    [Fact]
    public void Read_ShapeProductOverflows_IsRejectedBeforeAllocating() =>
        Invalid(() => ReadJson(Request(Input("x", "FP32", "[16,1152921504606846978]", "[]"))));

    [Fact]
    public void Read_ShapeAboveElementLimit_IsRejected() =>
        Invalid(() => ReadJson(Request(Input("x", "FP32", "[4]", "[1,2,3,4]")), Limits with { MaxElementsPerTensor = 3 }));

    [Fact]
    public void Read_RankAboveLimit_IsRejected() =>
        Invalid(() => ReadJson(Request(Input("x", "FP32", "[" + string.Join(",", Enumerable.Repeat(1, 17)) + "]", "[1]"))));

    [Fact]
    public void Read_DuplicateInputNames_AreRejected() =>
        Invalid(() => ReadJson(Request(Input("x", "FP32", "[1]", "[1]"), Input("x", "FP32", "[1]", "[2]"))));

    [Fact]
    public void Read_DuplicateOutputNames_AreRejected() =>
        Invalid(() => ReadJson($$"""{"inputs":[{{Input("x", "FP32", "[1]", "[1]")}}],"outputs":[{"name":"y"},{"name":"y"}]}"""));

    [Fact]
    public void Read_TooManyInputs_IsRejected()
    {
        var inputs = Enumerable.Range(0, 3).Select(i => Input("x" + i, "FP32", "[1]", "[1]")).ToArray();

        Invalid(() => ReadJson(Request(inputs), Limits with { MaxInputsPerRequest = 2 }));
    }

    [Fact]
    public void Read_TooManyOutputs_IsRejected() =>
        Invalid(() => ReadJson($$"""{"inputs":[{{Input("x", "FP32", "[1]", "[1]")}}],"outputs":[{"name":"a"},{"name":"b"}]}""",
            Limits with { MaxOutputsPerRequest = 1 }));

    [Fact]
    public void Read_NameTooLong_IsRejected() =>
        Invalid(() => ReadJson(Request(Input(new string('n', 257), "FP32", "[1]", "[1]"))));

    [Theory]
    [InlineData("""{"shared_memory_region":"r"}""")]
    [InlineData("""{"p":{"a":1}}""")]
    [InlineData("""{"p":[1]}""")]
    [InlineData("""{"p":null}""")]
    [InlineData("""{"p":1,"p":2}""")]
    [InlineData("[]")]
    public void Read_BadRequestParameters_AreRejected(string parameters) =>
        Invalid(() => ReadJson($$"""{"parameters":{{parameters}},"inputs":[{{Input("x", "FP32", "[1]", "[1]")}}]}"""));

    [Fact]
    public void Read_SharedMemoryOnInput_IsRejected() =>
        Invalid(() => ReadJson("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1],"parameters":{"shared_memory_byte_size":4}}]}"""));

    [Fact]
    public void Read_TooManyParameters_IsRejected()
    {
        var parameters = string.Join(",", Enumerable.Range(0, 3).Select(i => $"\"k{i}\":1"));

        Invalid(() => ReadJson($$"""{"parameters":{{{parameters}}},"inputs":[{{Input("x", "FP32", "[1]", "[1]")}}]}""",
            Limits with { MaxParameters = 2 }));
    }

    [Fact]
    public void Read_ParameterValueTooLong_IsRejected() =>
        Invalid(() => ReadJson($$"""{"parameters":{"k":"{{new string('v', 4097)}}"},"inputs":[{{Input("x", "FP32", "[1]", "[1]")}}]}"""));

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"inputs\":{}}")]
    [InlineData("{}")]
    [InlineData("{\"id\":5,\"inputs\":[]}")]
    public void Read_MalformedRequest_IsRejected(string json) => Invalid(() => ReadJson(json));

    [Fact]
    public void Read_EmptyBodyWithoutHeader_IsRejected() =>
        Invalid(() => Inferd.Hosting.Rest.InferRequestReader.Read(Array.Empty<byte>(), null, "m", null, Limits, NoRaw));

    [Fact]
    public void Read_ErrorMessage_DoesNotEchoPayload()
    {
        var error = Invalid(() => ReadJson("{\"inputs\": SECRET-PAYLOAD"));

        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InputHasNeitherDataNorBinarySize_IsRejected() =>
        Invalid(() => ReadJson("""{"inputs":[{"name":"x","datatype":"FP32","shape":[1]}]}"""));

    [Fact]
    public void Read_Utf8Payload_IsDecoded() =>
        Assert.Equal("ü", ReadJson(Request(Input("ü", "FP32", "[1]", "[1]"))).Inputs[0].Name);

    [Fact]
    public void ErrorKind_OfCodecFailures_IsInvalidInput()
    {
        var error = Assert.Throws<InferenceException>(() => ReadJson(Encoding.UTF8.GetString([0x7B])));

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
    }
}

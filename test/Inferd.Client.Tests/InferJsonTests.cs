using Inferd.Abstractions.Tensors;

namespace Inferd.Client.Tests;

public sealed class InferJsonTests
{
    [Fact]
    public void ParseRequest_V2Json_ReadsInputsOutputsAndId()
    {
        var request = InferJson.ParseRequest("m", """
            {"id":"r-1","parameters":{"priority":1,"binary_data_output":true},
             "inputs":[{"name":"a","datatype":"INT64","shape":[2,2],"data":[[1,2],[3,4]]},
                       {"name":"t","datatype":"BYTES","shape":[1],"data":["hi"]}],
             "outputs":[{"name":"o","parameters":{"classification":3}}]}
            """);

        Assert.Equal("r-1", request.Id);
        Assert.Equal([1L, 2L, 3L, 4L], request.Inputs[0].AsInt64s());
        Assert.Equal(["hi"], request.Inputs[1].AsStrings());
        Assert.Equal([new ClientRequestedOutput("o", 3)], request.Outputs);
        Assert.Equal(1L, request.Parameters["priority"]);
        Assert.False(request.Parameters.ContainsKey("binary_data_output"));
    }

    [Theory]
    [InlineData("""{"inputs":[{"name":"a","datatype":"FP32","shape":[2],"data":[1]}]}""", "needs 2")]
    [InlineData("""{"inputs":[{"name":"a","datatype":"FP33","shape":[1],"data":[1]}]}""", "datatype")]
    [InlineData("""{"inputs":[{"name":"a","datatype":"INT8","shape":[1],"data":[1000]}]}""", "not a valid INT8")]
    [InlineData("""{"inputs":[{"name":"a","datatype":"FP32","shape":[1],"parameters":{"binary_data_size":4}}]}""", "binary_data_size")]
    [InlineData("""{"outputs":[]}""", "\"inputs\"")]
    [InlineData("""{"inputs":[""", "not valid JSON")]
    public void ParseRequest_Invalid_ThrowsWithReason(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => InferJson.ParseRequest("m", json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatResponse_WritesDataForEveryOutput()
    {
        var response = new ClientInferResponse("m", "1", "", [
            ClientTensor.FromFloats("f", [2], [float.NaN, 1.5f]),
            ClientTensor.FromBFloat16s("b", [1], [2f]),
            ClientTensor.FromBools("z", [1], [true]),
        ], new Dictionary<string, object>());

        var json = InferJson.FormatResponse(response, indented: false);

        Assert.Equal(
            """{"model_name":"m","model_version":"1","outputs":[{"name":"f","datatype":"FP32","shape":[2],"data":["NaN",1.5]},{"name":"b","datatype":"BF16","shape":[1],"data":[2]},{"name":"z","datatype":"BOOL","shape":[1],"data":[true]}]}""",
            json);
        Assert.Equal(DataType.Bf16, response.Outputs[1].DataType);
    }
}

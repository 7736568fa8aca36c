using System.Text;
using System.Text.Json;

namespace Inferd.Client.Tests;

/// <summary>The encoders a load generator uses to build a request once and send it many times.</summary>
public sealed class PreparedRequestTests
{
    private static readonly ClientInferRequest Request = new("m", [ClientTensor.FromInt32s("in", [1, 2], [3, 4])]);

    [Fact]
    public void EncodeInferRequest_Binary_JsonHeaderLengthThenRawBytes()
    {
        var body = InferdRestClient.EncodeInferRequest(Request);

        Assert.NotNull(body.JsonLength);
        var json = body.Content.AsSpan(0, body.JsonLength.Value).ToArray();
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(8, doc.RootElement.GetProperty("inputs")[0].GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.Equal(BitConverter.GetBytes(3).Concat(BitConverter.GetBytes(4)), body.Content.Skip(body.JsonLength.Value));
    }

    [Fact]
    public void EncodeInferRequest_NotBinary_PureJsonWithTypedData()
    {
        var body = InferdRestClient.EncodeInferRequest(Request with { Binary = false });

        Assert.Null(body.JsonLength);
        using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(body.Content));
        Assert.Equal("[3,4]", doc.RootElement.GetProperty("inputs")[0].GetProperty("data").GetRawText());
    }

    [Fact]
    public void ToModelInferRequest_RawOrTyped_FollowsTheRequest()
    {
        var raw = InferdGrpcClient.ToModelInferRequest(Request);
        var typed = InferdGrpcClient.ToModelInferRequest(Request with { Raw = false });

        Assert.Equal(8, Assert.Single(raw.RawInputContents).Length);
        Assert.Empty(typed.RawInputContents);
        Assert.Equal([3, 4], typed.Inputs[0].Contents.IntContents);
    }
}

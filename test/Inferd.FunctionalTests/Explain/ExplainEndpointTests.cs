using System.Net;
using System.Text.Json;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Explain;

/// <summary><c>POST v2/models/{m}/explain</c> and <c>v1/models/{m}:explain</c> over a real server and ONNX Runtime.</summary>
public sealed class ExplainEndpointTests(ExplainServer fixture) : IClassFixture<ExplainServer>
{
    private static readonly double[] X = [1.5, -2.0, 4.0];

    [Fact]
    public async Task V1Explain_LinearModelKernelShap_EqualsCoefTimesDistanceFromTheBackgroundMean()
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v1/models/lin:explain",
            """{"instances": [{"a": 1.5, "b": -2.0, "c": 4.0}], "explain": {"method": "kernel_shap"}}"""));

        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
        using var json = JsonDocument.Parse(answer.Body);
        var root = json.RootElement;
        Assert.Equal("kernel_shap", root.GetProperty("method").GetString());
        Assert.Equal("exact", root.GetProperty("mode").GetString());
        var background = ExplainTestModels.BackgroundRows();
        var features = root.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(ExplainTestModels.Fields, features.Select(f => f.GetProperty("name").GetString()));
        for (var i = 0; i < 3; i++)
        {
            var expected = ExplainTestModels.Coef[i] * (X[i] - background.Average(r => r[i]));
            Assert.Equal(expected, features[i].GetProperty("attribution").GetDouble(), 1e-6);
        }

        Assert.True(root.GetProperty("additivity_error").GetDouble() <= 1e-6);
        // 2^3 − 1 coalitions besides the row itself, each against 20 background rows, plus the row.
        Assert.Equal((7 * 20) + 1, root.GetProperty("evaluations").GetInt64());
        Assert.True(root.GetProperty("calls").GetInt32() < root.GetProperty("evaluations").GetInt64() / 10, "evaluations are batched");
    }

    [Fact]
    public async Task V2Explain_SameRowAsV1_SameAttributions()
    {
        var v2 = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/lin/explain", """
            {"inputs": [{"name": "a", "datatype": "FP64", "shape": [1, 1], "data": [1.5]},
                        {"name": "b", "datatype": "FP64", "shape": [1, 1], "data": [-2.0]},
                        {"name": "c", "datatype": "FP64", "shape": [1, 1], "data": [4.0]}]}
            """));
        var v1 = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v1/models/lin:explain", """{"instances": [{"a": 1.5, "b": -2.0, "c": 4.0}]}"""));

        Assert.True(v2.Status == HttpStatusCode.OK, v2.Body);
        Assert.True(v1.Status == HttpStatusCode.OK, v1.Body);
        Assert.Equal(Attributions(v1.Body), Attributions(v2.Body));
    }

    [Fact]
    public async Task Explain_PlanOverTheRequestBudget_400NamingTheBudget()
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v1/models/lin:explain",
            """{"instances": [{"a": 1, "b": 2, "c": 3}], "explain": {"method": "kernel_shap", "budget": 100}}"""));

        var error = RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, "budget");
        Assert.Contains("140", error, StringComparison.Ordinal);
        Assert.Contains("100", error, StringComparison.Ordinal);
        await ExplainServer.AssertStillServesAsync(fixture.Server);
    }

    [Theory]
    [InlineData("/v1/models/lin:explain", """{"instances": [{"a": 1, "b": 2, "c": 3}], "explain": {"method": "magic"}}""", "unknown explanation method 'magic'")]
    [InlineData("/v1/models/lin:explain", """{"instances": [{"a": 1, "b": 2, "c": 3}], "explain": {"colour": 1}}""", "unknown field 'explain.colour'")]
    [InlineData("/v1/models/lin:explain", """{"instances": [{"a": 1, "b": 2, "c": 3}], "explain": {"target": -1}}""", "'explain.target'")]
    [InlineData("/v1/models/lin:explain", """{"instances": [{"a": 1, "b": 2, "c": 3}], "explain": {"output": "nope"}}""", "no output 'nope'")]
    [InlineData("/v1/models/lin:explain", """{"instances": [{"a": 1, "b": 2, "c": 3}, {"a": 1, "b": 2, "c": 3}]}""", "one instance")]
    [InlineData("/v1/models/lin:explain", """{"instances": [{"a": 1, "b": 2, "c": 3}], "explain": {"method": "kernel_shap", "mode": "fuzzy"}}""", "mode")]
    [InlineData("/v1/models/lin:explain", "not json", "not valid JSON")]
    [InlineData("/v2/models/lin/explain", """{"inputs": [{"name": "a", "datatype": "FP64", "shape": [2, 1], "data": [1, 2]}, {"name": "b", "datatype": "FP64", "shape": [2, 1], "data": [1, 2]}, {"name": "c", "datatype": "FP64", "shape": [2, 1], "data": [1, 2]}]}""", "one row")]
    public async Task Explain_BadRequest_400WithTheReason(string path, string body, string reason)
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json(path, body));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, reason);
        await ExplainServer.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Explain_UnknownModelAndWrongVerb_404And405()
    {
        RestHelpers.AssertError(await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v1/models/nope:explain", """{"instances": [{}]}""")), HttpStatusCode.NotFound);
        var get = await RestHelpers.SendAsync(fixture.Server, new HttpRequestMessage(HttpMethod.Get, "/v2/models/lin/explain"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.Status);
    }

    private static double[] Attributions(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("attribution").GetDouble()).ToArray();
    }
}

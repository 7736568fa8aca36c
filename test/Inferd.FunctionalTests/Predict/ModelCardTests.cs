using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Inferd.FunctionalTests.Predict;

/// <summary><c>GET v2/models/{m}/card</c>: the card as JSON with its metrics, as Markdown, and 404 without one.</summary>
public sealed class ModelCardTests(PredictServer fixture) : IClassFixture<PredictServer>
{
    [Fact]
    public async Task GetCard_ModelWithCard_AnswersJsonWithParsedMetrics()
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, new HttpRequestMessage(HttpMethod.Get, "/v2/models/mlp/card"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("application/json", answer.ContentType);
        using var doc = JsonDocument.Parse(answer.Body);
        var root = doc.RootElement;
        Assert.Equal("mlp", root.GetProperty("name").GetString());
        Assert.Equal(PredictServer.MlpCard, root.GetProperty("markdown").GetString());
        Assert.Equal(0.9712, root.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.Equal(0.9934, root.GetProperty("metrics").GetProperty("auc").GetDouble());
        Assert.Equal(2, root.GetProperty("metrics").EnumerateObject().Count());
    }

    [Fact]
    public async Task GetCard_AcceptMarkdown_AnswersTheMarkdownItself()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/models/mlp/card");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/markdown"));

        var answer = await RestHelpers.SendAsync(fixture.Server, request);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("text/markdown", answer.ContentType, StringComparison.Ordinal);
        Assert.Equal(PredictServer.MlpCard, answer.Body);
    }

    [Theory]
    [InlineData("simple", "model 'simple' has no card")]
    [InlineData("nope", "unknown model 'nope'")]
    public async Task GetCard_NoCardOrUnknownModel_Answers404(string model, string message)
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, new HttpRequestMessage(HttpMethod.Get, $"/v2/models/{model}/card"));

        Assert.Equal(message, RestHelpers.AssertError(answer, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task GetCard_TraversalName_Answers400()
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, new HttpRequestMessage(HttpMethod.Get, "/v2/models/a..b/card"));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, "model name");
    }

    [Fact]
    public async Task PostCard_WrongVerb_Answers405()
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/mlp/card", "{}"));

        RestHelpers.AssertError(answer, HttpStatusCode.MethodNotAllowed);
    }
}

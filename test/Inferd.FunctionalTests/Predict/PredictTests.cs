using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static Inferd.FunctionalTests.Predict.PredictHelpers;

namespace Inferd.FunctionalTests.Predict;

/// <summary><c>POST v1/models/{m}:predict</c>: the request forms and the conversions, against a real server.</summary>
public sealed class PredictTests(PredictServer fixture) : IClassFixture<PredictServer>
{
    private const string Rows = "[0.5, -1.25, 2, 0.75], [1, 2, 3, 4]";

    [Fact]
    public async Task Predict_NamedFieldsOnMlp_EqualsV2InferResult()
    {
        var v2Body = $$"""{"inputs": [{"name": "X", "datatype": "FP32", "shape": [2, 4], "data": [{{Rows}}]}]}""";

        var predictions = await PredictOkAsync(fixture.Server, "mlp", """{"instances": [{"X": [0.5, -1.25, 2, 0.75]}, {"X": [1, 2, 3, 4]}]}""");
        var v2 = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/mlp/infer", v2Body));

        Assert.Equal(HttpStatusCode.OK, v2.Status);
        using var doc = JsonDocument.Parse(v2.Body);
        var expected = Floats(doc.RootElement.GetProperty("outputs")[0].GetProperty("data"));
        Assert.Equal(2, predictions.Length);
        Assert.Equal(expected[..3], Floats(predictions[0].GetProperty("Y")));
        Assert.Equal(expected[3..], Floats(predictions[1].GetProperty("Y")));
    }

    [Fact]
    public async Task Predict_CurlDefaultFormContentType_ReadAsJson()
    {
        const string Body = """{"instances": [{"X": [1, 2, 3, 4]}]}""";
        var form = new HttpRequestMessage(HttpMethod.Post, PredictPath("mlp")) { Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") };

        var named = await PredictOkAsync(fixture.Server, "mlp", Body);
        var curl = Predictions(await RestHelpers.SendAsync(fixture.Server, form));

        Assert.Equal(Floats(named[0].GetProperty("Y")), Floats(curl[0].GetProperty("Y")));
    }

    [Fact]
    public async Task Predict_BareValuesForSingleInputModel_SameAsNamedFields()
    {
        var named = await PredictOkAsync(fixture.Server, "mlp", """{"instances": [{"X": [1, 2, 3, 4]}]}""");

        var bare = await PredictOkAsync(fixture.Server, "mlp", """{"instances": [[1, 2, 3, 4]]}""");

        Assert.Equal(Floats(named[0].GetProperty("Y")), Floats(bare[0].GetProperty("Y")));
    }

    [Fact]
    public async Task Predict_VersionRoute_AnswersWithThatVersion()
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v1/models/mlp/versions/1:predict", """{"instances": [[1, 2, 3, 4]]}"""));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        using var doc = JsonDocument.Parse(answer.Body);
        Assert.Equal("mlp", doc.RootElement.GetProperty("model_name").GetString());
        Assert.Equal("1", doc.RootElement.GetProperty("model_version").GetString());
    }

    [Fact]
    public async Task Predict_Base64AndInvalidUtf8Bytes_RoundTripAsB64()
    {
        var bytes = new byte[] { 0xff, 0xfe, 0x00, 0x41 };
        var body = $$"""{"instances": [{"b64": "{{Convert.ToBase64String(bytes)}}"}, "plain text", {"INPUT0": "h\u00e9"}]}""";

        var predictions = await PredictOkAsync(fixture.Server, "strings", body);

        Assert.Equal(3, predictions.Length);
        Assert.Equal(bytes, Convert.FromBase64String(predictions[0].GetProperty("OUTPUT0").GetProperty("b64").GetString()!));
        Assert.Equal("plain text", predictions[1].GetProperty("OUTPUT0").GetString());
        Assert.Equal("h\u00e9", predictions[2].GetProperty("OUTPUT0").GetString());
    }

    [Fact]
    public async Task Predict_MultipartFilePart_SendsTheFileBytes()
    {
        var file = Encoding.UTF8.GetBytes("file contents, with, commas");
        var form = new MultipartFormDataContent { { new ByteArrayContent(file), "INPUT0", "note.txt" } };
        var request = new HttpRequestMessage(HttpMethod.Post, PredictPath("strings")) { Content = form };

        var predictions = Predictions(await RestHelpers.SendAsync(fixture.Server, request));

        Assert.Equal("file contents, with, commas", Assert.Single(predictions).GetProperty("OUTPUT0").GetString());
    }

    [Fact]
    public async Task Predict_MultipartTextPartsForNumbers_ParsedAsJson()
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("[7, 8, 9, 10]"), "IDS" },
            { new StringContent("[0.5, 1.5, 2, 3]"), "SCORES" },
            { new StringContent("[true, false, true, false]"), "MASK" },
            { new StringContent("hello"), "TEXT" },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, PredictPath("multi")) { Content = form };

        var prediction = Assert.Single(Predictions(await RestHelpers.SendAsync(fixture.Server, request)));

        Assert.Equal([7L, 8, 9, 10], prediction.GetProperty("IDS_OUT").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(7f, prediction.GetProperty("SCORES_SUM").GetSingle());
        Assert.Equal([false, true, false, true], prediction.GetProperty("MASK_NOT").EnumerateArray().Select(e => e.GetBoolean()));
        Assert.Equal("hello", prediction.GetProperty("TEXT_OUT").GetString());
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/octet-stream")]
    [InlineData("text/plain")]
    public async Task Predict_RawBody_IsOneInstanceOfTheBytesInput(string contentType)
    {
        var body = new byte[] { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a };
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, PredictPath("strings")) { Content = content };

        var prediction = Assert.Single(Predictions(await RestHelpers.SendAsync(fixture.Server, request)));

        Assert.Equal(body, Convert.FromBase64String(prediction.GetProperty("OUTPUT0").GetProperty("b64").GetString()!));
    }

    [Fact]
    public async Task Predict_NullAndAbsentFp32Fields_BecomeNaN()
    {
        var predictions = await PredictOkAsync(fixture.Server, "scalar", """{"instances": [{"INPUT0": null}, {}, {"INPUT0": 2.5}, "NaN"]}""");

        Assert.Equal(["NaN", "NaN"], predictions[..2].Select(p => p.GetProperty("OUTPUT0").GetString()));
        Assert.Equal(2.5f, predictions[2].GetProperty("OUTPUT0").GetSingle());
        Assert.Equal("NaN", predictions[3].GetProperty("OUTPUT0").GetString());
    }

    [Fact]
    public async Task Predict_MultiTypeInstances_ConvertEveryDatatypeAndStack()
    {
        const string body = """
            {"instances": [
              {"IDS": [1, 2, 3, -4], "SCORES": [0.25, 0.25, 0.5, 1], "MASK": [true, true, false, false], "TEXT": "a"},
              {"IDS": [9007199254740993, 0, 0, 0], "SCORES": [1, 1, 1, 1], "MASK": [false, false, false, true], "TEXT": ""}]}
            """;

        var predictions = await PredictOkAsync(fixture.Server, "multi", body);

        Assert.Equal(2, predictions.Length);
        Assert.Equal(9007199254740993L, predictions[1].GetProperty("IDS_OUT")[0].GetInt64());
        Assert.Equal(-4L, predictions[0].GetProperty("IDS_OUT")[3].GetInt64());
        Assert.Equal(2f, predictions[0].GetProperty("SCORES_SUM").GetSingle());
        Assert.Equal(4f, predictions[1].GetProperty("SCORES_SUM").GetSingle());
        Assert.Equal(JsonValueKind.Array, predictions[0].GetProperty("SCORES_FP64").ValueKind);
        Assert.True(predictions[1].GetProperty("MASK_NOT")[0].GetBoolean());
        Assert.Equal("", predictions[1].GetProperty("TEXT_OUT").GetString());
    }

    [Fact]
    public async Task Predict_OutputsSelected_OnlyThoseAreReturned()
    {
        const string body = """
            {"outputs": ["TEXT_OUT", "SCORES_SUM"], "parameters": {"priority": 0},
             "instances": [{"IDS": [1, 2, 3, 4], "SCORES": [1, 2, 3, 4], "MASK": [true, true, true, true], "TEXT": "x"}]}
            """;

        var prediction = Assert.Single(await PredictOkAsync(fixture.Server, "multi", body));

        Assert.Equal(["TEXT_OUT", "SCORES_SUM"], prediction.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Predict_UnbatchedModel_OneObjectWithTheWholeTensor()
    {
        var prediction = Assert.Single(await PredictOkAsync(fixture.Server, "unbatched", """{"instances": [[1.5, 2, 3, 4]]}"""));

        Assert.Equal([1.5f, 2, 3, 4], Floats(prediction.GetProperty("OUTPUT0")));
    }

    [Fact]
    public async Task Predict_MaxBatchSizeInstances_Accepted()
    {
        var body = "{\"instances\": [" + string.Join(",", Enumerable.Repeat("[1, 2, 3, 4]", 8)) + "]}";

        var predictions = await PredictOkAsync(fixture.Server, "mlp", body);

        Assert.Equal(8, predictions.Length);
        Assert.All(predictions, p => Assert.Equal(Floats(predictions[0].GetProperty("Y")), Floats(p.GetProperty("Y"))));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Inferd.Testing;
using static Inferd.FunctionalTests.Predict.PredictHelpers;

namespace Inferd.FunctionalTests.Predict;

/// <summary>
/// Bad prediction requests (and the bad-inputs.md rows that apply to the route): each answers the expected status
/// with a clean {"error"} body, and the server keeps serving.
/// </summary>
public sealed class PredictBadInputTests(PredictServer fixture) : IClassFixture<PredictServer>
{
    private static readonly string Sixteen = "[" + string.Join(",", Enumerable.Range(0, 16)) + "]";

    public static TheoryData<string, string, string, string> JsonCases() => new()
    {
        // case, model, body, message fragment
        { "batch over max_batch_size", "mlp", "{\"instances\": [" + string.Join(",", Enumerable.Repeat("[1,2,3,4]", 9)) + "]}", "max_batch_size of 8" },
        { "unknown field", "mlp", """{"instances": [{"X": [1,2,3,4], "colour": "red"}]}""", "instance 0: unknown field 'colour'" },
        { "wrong type", "mlp", """{"instances": [[1,2,3,4], {"X": [1, 2, "three", 4]}]}""", "instance 1: field 'X' must be a number" },
        { "bool for int", "simple", $$"""{"instances": [{"INPUT0": {{Sixteen}}, "INPUT1": [true{{string.Concat(Enumerable.Repeat(",1", 15))}}]}]}""", "field 'INPUT1' must be an integer" },
        { "fraction for int", "simple", $$"""{"instances": [{"INPUT0": {{Sixteen}}, "INPUT1": [1.5{{string.Concat(Enumerable.Repeat(",1", 15))}}]}]}""", "must be an integer" },
        { "int out of range", "simple", $$"""{"instances": [{"INPUT0": {{Sixteen}}, "INPUT1": [4294967296{{string.Concat(Enumerable.Repeat(",1", 15))}}]}]}""", "out of range for INT32" },
        { "missing INT32 field", "simple", $$"""{"instances": [{"INPUT0": {{Sixteen}}}]}""", "instance 0: missing field 'INPUT1'" },
        { "null INT32 field", "simple", $$"""{"instances": [{"INPUT0": {{Sixteen}}, "INPUT1": null}]}""", "missing field 'INPUT1'" },
        { "missing FP32 row of 4", "mlp", """{"instances": [{}]}""", "missing field 'X'" },
        { "row 1: too few elements", "mlp", """{"instances": [[1, 2, 3]]}""", "has shape [3] but the input takes [4]" },
        { "row 1: ragged", "multi", """{"instances": [{"IDS": [[1,2],[3]], "SCORES": [1,2,3,4], "MASK": [true,true,true,true], "TEXT": "a"}]}""", "'IDS'" },
        { "scalar for an array", "mlp", """{"instances": [{"X": 1}]}""", "must be an array of shape [4]" },
        { "variable dims disagree", "strings", """{"instances": ["a", ["b", "c"]]}""", "" },
        { "bare value, many inputs", "simple", """{"instances": [[1, 2]]}""", "named fields" },
        { "no instances", "mlp", """{"instances": []}""", "empty" },
        { "instances not an array", "mlp", """{"instances": {"X": [1,2,3,4]}}""", "array" },
        { "columnar inputs", "mlp", """{"inputs": {"X": [[1,2,3,4]]}}""", "unknown request field 'inputs'" },
        { "two instances, no batching", "unbatched", """{"instances": [[1,2,3,4], [1,2,3,4]]}""", "does not batch" },
        { "duplicate field", "mlp", """{"instances": [{"X": [1,2,3,4], "X": [1,2,3,4]}]}""", "more than once" },
        { "duplicate output", "mlp", """{"instances": [[1,2,3,4]], "outputs": ["Y", "Y"]}""", "more than once" },
        { "unknown output", "mlp", """{"instances": [[1,2,3,4]], "outputs": ["Z"]}""", "Z" },
        { "row 12: not JSON", "mlp", "instances: [1, 2, 3, 4]", "not valid JSON" },
        { "row 11: depth 65", "mlp", "{\"instances\": " + new string('[', 64) + new string(']', 64) + "}", "nested deeper" },
        { "row 13: NaN disallowed for ints", "simple", $$"""{"instances": [{"INPUT0": {{Sixteen}}, "INPUT1": ["NaN"{{string.Concat(Enumerable.Repeat(",1", 15))}}]}]}""", "must be an integer" },
        { "row 13: overflowing FP32", "mlp", """{"instances": [[1e39, 1, 1, 1]]}""", "out of range" },
        { "row 14: invalid base64", "strings", """{"instances": [{"b64": "***"}]}""", "invalid base64" },
        { "row 14: lone surrogate", "strings", """{"instances": ["\ud800"]}""", "" },
        { "row 21: shared memory parameter", "mlp", """{"instances": [[1,2,3,4]], "parameters": {"shared_memory_region": "x"}}""", "shared memory" },
        { "row 19: traversal name", "a..b", """{"instances": [[1,2,3,4]]}""", "model name" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public async Task Predict_BadJsonRequest_Answers400NamingTheProblem(string name, string model, string body, string fragment)
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json(PredictPath(model), body));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, fragment);
        Assert.False(string.IsNullOrEmpty(name));
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Predict_WrongVerb_Answers405WithAllow()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, PredictPath("mlp"));
        using var response = await fixture.Server.Http.SendAsync(request).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
        Assert.Contains("\"error\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/models/nope:predict", "unknown model 'nope'")]
    [InlineData("/v1/models/mlp/versions/7:predict", "unknown version 7")]
    public async Task Predict_UnknownModelOrVersion_Answers404(string path, string fragment)
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json(path, """{"instances": [[1,2,3,4]]}"""));

        RestHelpers.AssertError(answer, HttpStatusCode.NotFound, fragment);
    }

    [Fact]
    public async Task Predict_RawBodyForNumericModel_Answers400()
    {
        var content = new ByteArrayContent([1, 2, 3, 4]);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var request = new HttpRequestMessage(HttpMethod.Post, PredictPath("mlp")) { Content = content };

        RestHelpers.AssertError(await RestHelpers.SendAsync(fixture.Server, request), HttpStatusCode.BadRequest, "exactly one BYTES input");
    }

    [Fact]
    public async Task Predict_UnsupportedContentType_Answers415()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, PredictPath("strings")) { Content = new StringContent("<x/>", Encoding.UTF8, "application/xml") };

        RestHelpers.AssertError(await RestHelpers.SendAsync(fixture.Server, request), HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Fact]
    public async Task Predict_MultipartUnknownPartAndFileForNumbers_Answer400()
    {
        var unknown = new HttpRequestMessage(HttpMethod.Post, PredictPath("strings"))
        {
            Content = new MultipartFormDataContent { { new StringContent("x"), "OTHER" } },
        };
        var fileForNumbers = new HttpRequestMessage(HttpMethod.Post, PredictPath("scalar"))
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent([1, 2]), "INPUT0", "x.bin" } },
        };
        var noBoundary = new HttpRequestMessage(HttpMethod.Post, PredictPath("strings")) { Content = new StringContent("--x\r\n") };
        noBoundary.Content.Headers.ContentType = new MediaTypeHeaderValue("multipart/form-data");

        RestHelpers.AssertError(await RestHelpers.SendAsync(fixture.Server, unknown), HttpStatusCode.BadRequest, "unknown field 'OTHER'");
        RestHelpers.AssertError(await RestHelpers.SendAsync(fixture.Server, fileForNumbers), HttpStatusCode.BadRequest, "is a file");
        RestHelpers.AssertError(await RestHelpers.SendAsync(fixture.Server, noBoundary), HttpStatusCode.BadRequest, "boundary");
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Predict_Row10OversizedBody_Answers413BeforeReading()
    {
        // mlp's cap is its v2 cap (64 KiB + 8 rows of 4 values) plus field overhead: about 70 KB. 128 KiB is over
        // it and still fits the loopback socket buffers, so the client finishes writing before the 413 arrives.
        var body = "{\"instances\": [[" + new string(' ', 128 * 1024) + "1,2,3,4]]}";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json(PredictPath("mlp"), body));

        RestHelpers.AssertError(answer, HttpStatusCode.RequestEntityTooLarge);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Predict_Row9CompressedBody_Answers415()
    {
        var request = RestHelpers.Json(PredictPath("mlp"), """{"instances": [[1,2,3,4]]}""");
        request.Content!.Headers.ContentEncoding.Add("gzip");

        RestHelpers.AssertError(await RestHelpers.SendAsync(fixture.Server, request), HttpStatusCode.UnsupportedMediaType, "Content-Encoding");
    }

    [Fact]
    public async Task Predict_EmptyBody_Answers400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, PredictPath("mlp")) { Content = new ByteArrayContent([]) };

        RestHelpers.AssertError(await RestHelpers.SendAsync(fixture.Server, request), HttpStatusCode.BadRequest, "empty");
    }

    [Fact]
    public async Task Predict_NoErrorLogs_AfterBadRequests()
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json(PredictPath("mlp"), "[1"));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest);
        Assert.Empty(fixture.Server.Errors);
    }
}

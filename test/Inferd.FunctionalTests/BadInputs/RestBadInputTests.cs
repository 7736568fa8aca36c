using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Inferd.FunctionalTests.BadInputs;

/// <summary>
/// bad-inputs.md catalogue over REST. Each case asserts the status and a clean {"error"} body, then that the
/// server is still live and still answers a good request.
/// </summary>
public sealed class RestBadInputTests(StandardServer fixture) : IClassFixture<StandardServer>
{
    private const string Infer = "/v2/models/simple/infer";

    private static string Input(string name, string datatype, string shape, string data) =>
        $$"""{"name": "{{name}}", "datatype": "{{datatype}}", "shape": {{shape}}, "data": {{data}}}""";

    private static readonly string Sixteen = "[" + string.Join(",", Enumerable.Range(0, 16)) + "]";
    private static readonly string Good1 = Input("INPUT1", "INT32", "[1,16]", Sixteen);

    public static TheoryData<string, string, string, int, string> JsonCases() => new()
    {
        // row, path, body, status, message fragment
        { "1 count", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", "[1,2,3]")}}, {{Good1}}]}""", 400, "expected 16" },
        { "1 nested count", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[2,16]", "[[1,2],[3,4]]")}}, {{Good1}}]}""", 400, "" },
        { "2 wrong dtype", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT64", "[1,16]", Sixteen)}}, {{Good1}}]}""", 400, "INT64" },
        { "2 unknown dtype", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT33", "[1,16]", Sixteen)}}, {{Good1}}]}""", 400, "datatype" },
        { "2 string for int", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", "[\"a\"" + new string(',', 0) + "]")}}, {{Good1}}]}""", 400, "" },
        { "2 fraction for int", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,1]", "[1.5]")}}, {{Good1}}]}""", 400, "" },
        { "3 missing input", Infer, $$"""{"inputs": [{{Good1}}]}""", 400, "INPUT0" },
        { "3 extra input", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", Sixteen)}}, {{Good1}}, {{Input("EXTRA", "INT32", "[1,16]", Sixteen)}}]}""", 400, "EXTRA" },
        { "3 duplicate input", Infer, $$"""{"inputs": [{{Good1}}, {{Good1}}]}""", 400, "" },
        { "3 duplicate output", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", Sixteen)}}, {{Good1}}], "outputs": [{"name": "OUTPUT0"}, {"name": "OUTPUT0"}]}""", 400, "" },
        { "3 unknown output", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", Sixteen)}}, {{Good1}}], "outputs": [{"name": "NOPE"}]}""", 400, "NOPE" },
        { "4 negative dim", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[-1,16]", Sixteen)}}, {{Good1}}]}""", 400, "" },
        { "4 fractional dim", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1.5,16]", Sixteen)}}, {{Good1}}]}""", 400, "" },
        { "4 zero batch", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[0,16]", "[]")}}, {{Input("INPUT1", "INT32", "[0,16]", "[]")}}]}""", 400, "batch" },
        { "4 batch over max", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[9,16]", Sixteen)}}, {{Good1}}]}""", 400, "" },
        { "5 allocation bomb", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[16,1152921504606846978]", "[1]")}}, {{Good1}}]}""", 400, "" },
        { "5 huge product", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[4294967296,4294967296]", "[1]")}}, {{Good1}}]}""", 400, "" },
        { "13 bare NaN token", Infer, $$"""{"inputs": [{{Input("INPUT0", "FP32", "[1,1]", "[NaN]")}}]}""", 400, "" },
        { "13 fp16 in json", "/v2/models/fp16/infer", $$"""{"inputs": [{{Input("INPUT0", "FP16", "[1,4]", "[1,2,3,4]")}}]}""", 400, "binary" },
        { "17 unknown model", "/v2/models/nope/infer", $$"""{"inputs": []}""", 404, "nope" },
        { "17 unknown version", "/v2/models/simple/versions/7/infer", RestHelpers.GoodSimpleBody, 404, "" },
        { "17 bad version", "/v2/models/simple/versions/x1/infer", RestHelpers.GoodSimpleBody, 400, "" },
        { "21 shared memory", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", Sixteen)}}, {{Good1}}], "parameters": {"shared_memory_region": "r"} }""", 400, "shared memory" },
        { "21 object parameter", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", Sixteen)}}, {{Good1}}], "parameters": {"p": {"a": 1} } }""", 400, "" },
        { "21 sequence", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", Sixteen)}}, {{Good1}}], "parameters": {"sequence_id": 3} }""", 400, "sequence" },
        { "json not an object", Infer, "[1,2,3]", 400, "" },
        { "json truncated", Infer, """{"inputs": [""", 400, "" },
        { "json empty", Infer, "", 400, "" },
        { "timeout negative", Infer, $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", Sixteen)}}, {{Good1}}], "parameters": {"timeout": -5} }""", 400, "timeout" },
    };

    [Theory]
    [MemberData(nameof(JsonCases))]
    public async Task Infer_BadJsonRequest_ClearErrorAndServerStillServes(string row, string path, string body, int status, string fragment)
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json(path, body));

        RestHelpers.AssertError(answer, (HttpStatusCode)status, fragment.Length > 0 ? fragment : null);
        Assert.NotNull(row);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    public static TheoryData<string, string, int> DepthCases() => new() { { "66 deep", "66", 400 }, { "250000 deep", "250000", 400 } };

    [Theory]
    [MemberData(nameof(DepthCases))]
    public async Task Infer_DeeplyNestedJson_Rejected(string row, string depthText, int status)
    {
        var depth = int.Parse(depthText, System.Globalization.CultureInfo.InvariantCulture);
        // The strings model takes BYTES, so its body cap is the global one and the JSON parser sees the whole body.
        var body = "{\"inputs\": [{\"name\": \"INPUT0\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": " + new string('[', depth) + "\"a\"" + new string(']', depth) + "}]}";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/strings/infer", body));

        RestHelpers.AssertError(answer, (HttpStatusCode)status);
        Assert.NotNull(row);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Infer_HugeInputName_ErrorIsTruncatedAndDoesNotEchoIt()
    {
        var name = new string('Z', 100_000);
        var body = $$"""{"inputs": [{{Input(name, "BYTES", "[1]", "[\"a\"]")}}]}""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/strings/infer", body));

        var message = RestHelpers.AssertError(answer, HttpStatusCode.BadRequest);
        Assert.DoesNotContain(new string('Z', 1000), message, StringComparison.Ordinal);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    public static TheoryData<string, string?, int> HeaderLengthCases() => new()
    {
        { "negative", "-1", 400 },
        { "not a number", "abc", 400 },
        { "beyond int range", "99999999999", 400 },
        { "larger than the body", "100000", 400 },
        { "shorter than the json", "10", 400 },
    };

    [Theory]
    [MemberData(nameof(HeaderLengthCases))]
    public async Task Infer_BinaryHeaderLengthLies_Rejected(string row, string? headerLength, int status)
    {
        var header = """{"inputs":[{"name":"INPUT0","datatype":"INT32","shape":[1,16],"parameters":{"binary_data_size":64}},{"name":"INPUT1","datatype":"INT32","shape":[1,16],"parameters":{"binary_data_size":64}}]}""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Binary(Infer, header, new byte[128], headerLength));

        RestHelpers.AssertError(answer, (HttpStatusCode)status);
        Assert.NotNull(row);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    public static TheoryData<string, int, int, int> BinarySizeCases() => new()
    {
        // declared size of INPUT0, declared size of INPUT1, bytes actually sent
        { "sum below body", 64, 64, 129 },
        { "sum above body", 64, 64, 127 },
        { "size not shape x dtype", 60, 68, 128 },
        { "negative size", -64, 192, 128 },
    };

    [Theory]
    [MemberData(nameof(BinarySizeCases))]
    public async Task Infer_BinarySizesLie_Rejected(string row, int size0, int size1, int sent)
    {
        var header = $$"""{"inputs":[{"name":"INPUT0","datatype":"INT32","shape":[1,16],"parameters":{"binary_data_size":{{size0}}} },{"name":"INPUT1","datatype":"INT32","shape":[1,16],"parameters":{"binary_data_size":{{size1}}} }]}""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Binary(Infer, header, new byte[sent]));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest);
        Assert.NotNull(row);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Infer_DataAndBinarySizeTogether_Rejected()
    {
        var header = $$"""{"inputs":[{"name":"INPUT0","datatype":"INT32","shape":[1,16],"data":{{Sixteen}},"parameters":{"binary_data_size":64} },{{Good1}}]}""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Binary(Infer, header, new byte[64]));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Infer_BytesLengthPrefixRunsPastEnd_Rejected()
    {
        var header = """{"inputs":[{"name":"INPUT0","datatype":"BYTES","shape":[1],"parameters":{"binary_data_size":8}}]}""";
        byte[] tail = [200, 0, 0, 0, (byte)'a', (byte)'b', (byte)'c', (byte)'d'];

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Binary("/v2/models/strings/infer", header, tail));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Infer_GzipBody_UnsupportedMediaType()
    {
        var request = RestHelpers.Json(Infer, RestHelpers.GoodSimpleBody);
        request.Content!.Headers.ContentEncoding.Add("gzip");

        var answer = await RestHelpers.SendAsync(fixture.Server, request);

        RestHelpers.AssertError(answer, HttpStatusCode.UnsupportedMediaType);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Infer_TooManyParameters_Rejected()
    {
        var parameters = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"p{i}\": {i}"));
        var body = $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", Sixteen)}}, {{Good1}}], "parameters": { {{parameters}} } }""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json(Infer, body));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Routes_WrongVerbAndUnknownPath_405And404WithJsonError()
    {
        var wrongVerb = await RestHelpers.SendAsync(fixture.Server, new HttpRequestMessage(HttpMethod.Get, Infer));
        var unknown = await RestHelpers.SendAsync(fixture.Server, new HttpRequestMessage(HttpMethod.Get, "/v2/systemsharedmemory/status"));

        RestHelpers.AssertError(wrongVerb, HttpStatusCode.MethodNotAllowed);
        RestHelpers.AssertError(unknown, HttpStatusCode.NotFound);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Infer_NonFiniteJsonInput_AcceptedAsStringsAndReturnedParseable()
    {
        var body = $$"""{"inputs": [{{Input("INPUT0", "FP32", "[1,4]", "[\"NaN\", \"Infinity\", \"-Infinity\", 1.5]")}}]}""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/fp32/infer", body));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        using var doc = System.Text.Json.JsonDocument.Parse(answer.Body);
        var data = doc.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e => e.ToString()).ToArray();
        Assert.Equal(["NaN", "Infinity", "-Infinity", "1.5"], data);
    }

    [Fact]
    public async Task Infer_BytesWithEmbeddedNul_RoundTripsExactly()
    {
        var element = Encoding.UTF8.GetBytes("abc\0def");
        var tail = new byte[4 + element.Length];
        BitConverter.TryWriteBytes(tail.AsSpan(0, 4), element.Length);
        element.CopyTo(tail, 4);
        var header = $$"""{"inputs":[{"name":"INPUT0","datatype":"BYTES","shape":[1],"parameters":{"binary_data_size":{{tail.Length}}} }],"outputs":[{"name":"OUTPUT0","parameters":{"binary_data":true} }]}""";
        using var request = RestHelpers.Binary("/v2/models/strings/infer", header, tail);

        using var response = await fixture.Server.Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(tail, bytes[jsonLength..]);
    }

    [Fact]
    public async Task Infer_BinaryBoolByteOtherThanZeroOrOne_Rejected()
    {
        var header = """{"inputs":[{"name":"INPUT0","datatype":"BOOL","shape":[1,4],"parameters":{"binary_data_size":4}}]}""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Binary("/v2/models/bools/infer", header, [0, 1, 2, 1]));

        RestHelpers.AssertError(answer, HttpStatusCode.BadRequest, "0 or 1");
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task Infer_TimeoutBeyondTimerRange_TreatedAsNoTimeout()
    {
        var body = $$"""{"inputs": [{{Input("INPUT0", "INT32", "[1,16]", Sixteen)}}, {{Good1}}], "parameters": {"timeout": 3153600000000000 } }""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json(Infer, body));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Empty(fixture.Server.Errors);
    }

    [Fact]
    public async Task Infer_ControlCharactersInName_NeverEchoedRaw()
    {
        var body = $$"""{"inputs": [{{Input("bad\nname\u001b[31m", "INT32", "[1,16]", Sixteen)}}, {{Good1}}]}""";

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json(Infer, body));

        var message = RestHelpers.AssertError(answer, HttpStatusCode.BadRequest);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\u001b', message);
        await RestHelpers.AssertStillServesAsync(fixture.Server);
    }
}

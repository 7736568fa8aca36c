using System.Net;
using System.Text.Json;
using Inferd.Core.Inference;
using Inferd.Testing;

namespace Inferd.FunctionalTests;

/// <summary>The REST surface of protocol.md §3-§7 on a real server.</summary>
public sealed class RestApiTests(StandardServer fixture) : IClassFixture<StandardServer>
{
    private async Task<(HttpStatusCode Status, JsonElement Json)> GetJsonAsync(string path, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        using var response = await fixture.Server.Http.SendAsync(request).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Health_LiveAndReady_200WithJsonBodies()
    {
        var live = await GetJsonAsync("/v2/health/live");
        var ready = await GetJsonAsync("/v2/health/ready");
        var modelReady = await GetJsonAsync("/v2/models/simple/ready");

        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.True(live.Json.GetProperty("live").GetBoolean());
        Assert.True(ready.Json.GetProperty("ready").GetBoolean());
        Assert.Equal("simple", modelReady.Json.GetProperty("name").GetString());
        Assert.True(modelReady.Json.GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task ServerMetadata_ExtensionsAreExactlyTheWorkingOnes()
    {
        var (status, json) = await GetJsonAsync("/v2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("inferd", json.GetProperty("name").GetString());
        Assert.Equal(InferenceService.Extensions, json.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public async Task ModelMetadata_BatchingModel_ShapesStartWithMinusOne()
    {
        var (status, json) = await GetJsonAsync("/v2/models/simple");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("onnxruntime_onnx", json.GetProperty("platform").GetString());
        Assert.Equal(["1"], json.GetProperty("versions").EnumerateArray().Select(e => e.GetString()!));
        var input = json.GetProperty("inputs")[0];
        Assert.Equal("INPUT0", input.GetProperty("name").GetString());
        Assert.Equal("INT32", input.GetProperty("datatype").GetString());
        Assert.Equal([-1L, 16], input.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public async Task ModelConfig_AutoCompletedBareModel_ShowsFieldsFromTheFile()
    {
        var (status, json) = await GetJsonAsync("/v2/models/fp32/config");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, json.GetProperty("max_batch_size").GetInt32());
        Assert.Equal("TYPE_FP32", json.GetProperty("input")[0].GetProperty("data_type").GetString());
        Assert.Equal([4L], json.GetProperty("input")[0].GetProperty("dims").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("onnxruntime", json.GetProperty("backend").GetString());
    }

    [Fact]
    public async Task Infer_Json_ComputesAndEchoesId()
    {
        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        using var doc = JsonDocument.Parse(answer.Body);
        Assert.Equal("good", doc.RootElement.GetProperty("id").GetString());
        Assert.Equal("simple", doc.RootElement.GetProperty("model_name").GetString());
        Assert.Equal("1", doc.RootElement.GetProperty("model_version").GetString());
        var out1 = doc.RootElement.GetProperty("outputs").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "OUTPUT1");
        Assert.Equal(Enumerable.Range(-1, 16), out1.GetProperty("data").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Infer_RawBinaryMode_SingleInputWithoutJsonHeader()
    {
        // Raw mode is batch 1 for a batching model: one row of 4 floats.
        var data = new byte[4 * 4];
        for (var i = 0; i < 4; i++)
        {
            BitConverter.TryWriteBytes(data.AsSpan(i * 4), i * 1.5f);
        }

        using var request = RestHelpers.Binary("/v2/models/fp32/infer", "", data, headerLength: "0");
        using var response = await fixture.Server.Http.SendAsync(request).DefaultTimeout();
        var body = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(data, body[jsonLength..]);
    }

    [Fact]
    public async Task Statistics_AfterInference_HaveTritonFieldNames()
    {
        await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody));

        var (status, json) = await GetJsonAsync("/v2/models/simple/stats");
        var all = await GetJsonAsync("/v2/models/stats");

        Assert.Equal(HttpStatusCode.OK, status);
        var stats = json.GetProperty("model_stats")[0];
        Assert.Equal("simple", stats.GetProperty("name").GetString());
        Assert.True(stats.GetProperty("inference_count").GetInt64() >= 1);
        Assert.True(stats.GetProperty("inference_stats").GetProperty("success").GetProperty("count").GetInt64() >= 1);
        Assert.True(stats.GetProperty("inference_stats").GetProperty("compute_infer").GetProperty("ns").GetInt64() > 0);
        Assert.True(stats.GetProperty("batch_stats")[0].GetProperty("batch_size").GetInt64() >= 1);
        Assert.True(all.Json.GetProperty("model_stats").GetArrayLength() >= 5);
    }

    [Fact]
    public async Task RepositoryIndex_EmptyBody_ListsEveryModelReady()
    {
        var (status, json) = await GetJsonAsync("/v2/repository/index", HttpMethod.Post);

        Assert.Equal(HttpStatusCode.OK, status);
        var rows = json.EnumerateArray().ToArray();
        Assert.Equal(["bools", "fp16", "fp32", "simple", "strings"], rows.Select(r => r.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("READY", r.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Infer_ClassificationParameter_ReturnsTopKStrings()
    {
        var body = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [1.1, 3.3, 0.5, 2.4]}],
             "outputs": [{"name": "y", "parameters": {"classification": 2}}]}
            """;

        var answer = await RestHelpers.SendAsync(fixture.Server, RestHelpers.Json("/v2/models/fp32/infer", body.Replace("\"x\"", $"\"{Testing.Models.TestModels.Input0}\"", StringComparison.Ordinal).Replace("\"y\"", $"\"{Testing.Models.TestModels.Output0}\"", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        using var doc = JsonDocument.Parse(answer.Body);
        var output = doc.RootElement.GetProperty("outputs")[0];
        Assert.Equal("BYTES", output.GetProperty("datatype").GetString());
        Assert.Equal(["3.3:1", "2.4:3"], output.GetProperty("data").EnumerateArray().Select(e => e.GetString()!));
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Tensors;

namespace Inferd.Client.Tests;

public sealed class InferdRestClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InferAsync_Binary_SendsBinaryExtensionAndParsesBinaryAnswer()
    {
        // Arrange
        var handler = new FakeHandler(request =>
        {
            var json = """{"model_name":"m","model_version":"1","outputs":[{"name":"out","datatype":"INT32","shape":[2],"parameters":{"binary_data_size":8}}]}""";
            var body = Encoding.UTF8.GetBytes(json).Concat(BitConverter.GetBytes(7)).Concat(BitConverter.GetBytes(-8)).ToArray();
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
            response.Headers.Add("Inference-Header-Content-Length", json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        });
        using var client = Client(handler);
        var request = new ClientInferRequest("m", [ClientTensor.FromFloats("in", [1, 2], [1f, 2f])]);

        // Act
        var response = await client.InferAsync(request, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal("/v2/models/m/infer", handler.Path);
        var headerLength = int.Parse(handler.Headers["Inference-Header-Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
        using var sent = JsonDocument.Parse(handler.Body.AsMemory(0, headerLength));
        Assert.Equal(8, sent.RootElement.GetProperty("inputs")[0].GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.True(sent.RootElement.GetProperty("parameters").GetProperty("binary_data_output").GetBoolean());
        Assert.Equal(headerLength + 8, handler.Body.Length);
        Assert.Equal(BitConverter.GetBytes(1f).Concat(BitConverter.GetBytes(2f)), handler.Body[headerLength..]);
        Assert.Equal("application/octet-stream", handler.ContentType);
        Assert.Equal("1", response.ModelVersion);
        Assert.Equal([7, -8], response.GetOutput("out").AsInt32s());
    }

    [Fact]
    public async Task InferAsync_Json_SendsTypedDataAndReadsNonFiniteStrings()
    {
        // Arrange
        var handler = new FakeHandler(_ => Json(HttpStatusCode.OK,
            """{"model_name":"m","id":"r1","outputs":[{"name":"p","datatype":"FP32","shape":[3],"data":["NaN","Infinity",[0.5]]},{"name":"top","datatype":"BYTES","shape":[1],"data":["3.3:1"]}]}"""));
        using var client = Client(handler);
        var request = new ClientInferRequest("m/x", [ClientTensor.FromFloats("in", [2], [float.NegativeInfinity, 1.25f])])
        {
            Binary = false,
            ModelVersion = "2",
            Outputs = [new ClientRequestedOutput("p"), new ClientRequestedOutput("top", 1)],
        };

        // Act
        var response = await client.InferAsync(request, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        // Assert
        Assert.Equal("/v2/models/m%2Fx/versions/2/infer", handler.Path);
        Assert.False(handler.Headers.ContainsKey("Inference-Header-Content-Length"));
        using var sent = JsonDocument.Parse(handler.Body);
        Assert.Equal("""["-Infinity",1.25]""", sent.RootElement.GetProperty("inputs")[0].GetProperty("data").GetRawText());
        var outputs = sent.RootElement.GetProperty("outputs");
        Assert.False(outputs[0].GetProperty("parameters").GetProperty("binary_data").GetBoolean());
        Assert.Equal(1, outputs[1].GetProperty("parameters").GetProperty("classification").GetInt32());
        var p = response.GetOutput("p").AsFloats();
        Assert.True(float.IsNaN(p[0]));
        Assert.Equal([float.PositiveInfinity, 0.5f], p[1..]);
        Assert.Equal(["3.3:1"], response.GetOutput("top").AsStrings());
        Assert.Equal("r1", response.Id);
    }

    [Fact]
    public async Task InferAsync_JsonWithFp16Input_SendsThatInputInBinary()
    {
        var handler = new FakeHandler(_ => Json(HttpStatusCode.OK, """{"model_name":"m","outputs":[]}"""));
        using var client = Client(handler);
        var request = new ClientInferRequest("m", [ClientTensor.FromHalves("h", [1], [(Half)1]), ClientTensor.FromInt32s("i", [1], [3])]) { Binary = false };

        await client.InferAsync(request, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        var headerLength = int.Parse(handler.Headers["Inference-Header-Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(headerLength + 2, handler.Body.Length);
        using var sent = JsonDocument.Parse(handler.Body.AsMemory(0, headerLength));
        Assert.Equal("[3]", sent.RootElement.GetProperty("inputs")[1].GetProperty("data").GetRawText());
    }

    [Fact]
    public async Task Call_Non200_ThrowsWithStatusAndServerMessage()
    {
        using var client = Client(new FakeHandler(_ => Json(HttpStatusCode.NotFound, """{"error":"unknown model 'x'"}""")));

        var error = await Assert.ThrowsAsync<InferdClientException>(
            () => client.GetModelMetadataAsync("x", null, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatusCode);
        Assert.Equal("unknown model 'x'", error.Message);
    }

    [Fact]
    public async Task InferAsync_BinarySizePastEnd_ThrowsProtocolError()
    {
        var handler = new FakeHandler(_ =>
        {
            var json = """{"model_name":"m","outputs":[{"name":"o","datatype":"FP32","shape":[4],"parameters":{"binary_data_size":16}}]}""";
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([.. Encoding.UTF8.GetBytes(json), 1, 2, 3, 4]) };
            response.Headers.Add("Inference-Header-Content-Length", json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        });
        using var client = Client(handler);
        var request = new ClientInferRequest("m", [ClientTensor.FromInt32s("i", [1], [3])]);

        var error = await Assert.ThrowsAsync<InferdClientException>(() => client.InferAsync(request, TestContext.Current.CancellationToken).WaitAsync(Timeout, TestContext.Current.CancellationToken));

        Assert.Contains("binary_data_size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepositoryCalls_UseTritonPathsAndBodies()
    {
        var handler = new FakeHandler(r => r.RequestUri!.AbsolutePath.EndsWith("/index", StringComparison.Ordinal)
            ? Json(HttpStatusCode.OK, """[{"name":"a","version":"1","state":"READY","reason":""},{"name":"b","state":"UNAVAILABLE","reason":"bad file"}]""")
            : new HttpResponseMessage(HttpStatusCode.OK));
        using var client = Client(handler);
        var ct = TestContext.Current.CancellationToken;

        var index = await client.GetRepositoryIndexAsync(true, ct).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal("""{"ready":true}""", Encoding.UTF8.GetString(handler.Body));
        await client.LoadModelAsync("a", """{"max_batch_size":0}""", ct).WaitAsync(Timeout, TestContext.Current.CancellationToken);
        Assert.Equal("/v2/repository/models/a/load", handler.Path);
        using (var load = JsonDocument.Parse(handler.Body))
        {
            Assert.Equal("""{"max_batch_size":0}""", load.RootElement.GetProperty("parameters").GetProperty("config").GetString());
        }

        await client.UnloadModelAsync("a", ct).WaitAsync(Timeout, TestContext.Current.CancellationToken);

        Assert.Equal("/v2/repository/models/a/unload", handler.Path);
        Assert.Equal([new ClientRepositoryEntry("a", "1", "READY", ""), new ClientRepositoryEntry("b", "", "UNAVAILABLE", "bad file")], index);
    }

    [Fact]
    public async Task Health_Non200_IsFalse()
    {
        using var client = Client(new FakeHandler(r => new HttpResponseMessage(r.RequestUri!.AbsolutePath.EndsWith("live", StringComparison.Ordinal) ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable)));
        var ct = TestContext.Current.CancellationToken;

        Assert.True(await client.IsServerLiveAsync(ct).WaitAsync(Timeout, TestContext.Current.CancellationToken));
        Assert.False(await client.IsServerReadyAsync(ct).WaitAsync(Timeout, TestContext.Current.CancellationToken));
    }

    private static InferdRestClient Client(FakeHandler handler) =>
        new(new HttpClient(handler) { BaseAddress = new Uri("http://inferd.test:8000") });

    private static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private sealed class FakeHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public string Path { get; private set; } = "";

        public byte[] Body { get; private set; } = [];

        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string? ContentType { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Path = request.RequestUri!.AbsolutePath;
            Body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            ContentType = request.Content?.Headers.ContentType?.MediaType;
            Headers.Clear();
            foreach (var (key, values) in request.Headers)
            {
                Headers[key] = string.Join(",", values);
            }

            return answer(request);
        }
    }
}

using System.Net;
using System.Text.Json;
using Grpc.Core;
using Inferd.Monitoring;
using Inferd.Protocol.V2;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>The prediction log through a real server: what requests log, feedback, deletion, redaction and hashing.</summary>
public sealed class PredictionLogEndpointTests
{
    [Fact]
    public async Task Infer_WithCallerHeader_LogsCallerVersionLatencyIdsAndTensors()
    {
        await using var log = await PredictionLogServer.StartAsync();

        var withId = await log.InferAsync("mlp", PredictionLogModels.MlpBody("client-id-1", 1f), caller: "alice");
        var withoutId = await log.InferAsync("mlp", PredictionLogModels.MlpBody(null, 2f), caller: "bob");
        var anonymous = await log.InferAsync("mlp", PredictionLogModels.MlpBody(null, 3f));
        var records = await log.LogAsync("model=mlp");

        Assert.All(new[] { withId, withoutId, anonymous }, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal("client-id-1", withId.RequestIdHeader);
        Assert.Equal("client-id-1", withId.Body.GetProperty("id").GetString());
        // A request without an id gets a server-made one, in the body and the header alike.
        var madeId = withoutId.Body.GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(madeId));
        Assert.Equal(madeId, withoutId.RequestIdHeader);
        Assert.Equal(3, records.Length);
        var byId = records.ToDictionary(r => r.GetProperty("request_id").GetString()!);
        var alice = byId["client-id-1"];
        Assert.Equal(("mlp", "1", "alice"), (alice.GetProperty("model").GetString(), alice.GetProperty("version").GetString(), alice.GetProperty("caller").GetString()));
        Assert.True(alice.GetProperty("latency_us").GetInt64() > 0);
        Assert.Equal([1f, 1.25f, 1.5f, 1.75f], alice.GetProperty("inputs").GetProperty("X").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
        Assert.Equal([1, 3], alice.GetProperty("outputs").GetProperty("Y").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("bob", byId[madeId!].GetProperty("caller").GetString());
        Assert.Equal(JsonValueKind.Null, byId[anonymous.RequestIdHeader!].GetProperty("caller").ValueKind);
        Assert.Empty(log.Server.Errors);
    }

    [Fact]
    public async Task Feedback_LoggedUnknownAndBadRequests_Answer200Or404Or400()
    {
        await using var log = await PredictionLogServer.StartAsync();
        var first = await log.InferAsync("mlp", PredictionLogModels.MlpBody("fb-1", 1f));
        await log.InferAsync("mlp", PredictionLogModels.MlpBody("fb-2", 2f));
        await log.InferAsync("people", PeopleBody("fb-people"));
        Assert.Equal(HttpStatusCode.OK, first.Status);

        var ok = await log.SendAsync(HttpMethod.Post, "/v2/models/mlp/feedback", """{"request_id": "fb-1", "label": "setosa"}""");
        var unknown = await log.SendAsync(HttpMethod.Post, "/v2/models/mlp/feedback", """{"request_id": "never-sent", "truth": 1}""");
        var otherModel = await log.SendAsync(HttpMethod.Post, "/v2/models/mlp/feedback", """{"request_id": "fb-people", "truth": 1}""");
        var bulk = await log.SendAsync(HttpMethod.Post, "/v2/models/mlp/feedback", """[{"request_id": "fb-2", "value": [0.5]}, {"request_id": "gone", "truth": true}]""");

        Assert.Equal(HttpStatusCode.OK, ok.Status);
        using (var body = JsonDocument.Parse(ok.Body))
        {
            Assert.Equal(("fb-1", "mlp", "1"), (body.RootElement.GetProperty("request_id").GetString(), body.RootElement.GetProperty("model").GetString(), body.RootElement.GetProperty("version").GetString()));
        }

        RestHelpers.AssertError(unknown, HttpStatusCode.NotFound, "no logged prediction with request id 'never-sent' for model 'mlp' (it may not have been sampled, or the log is off)");
        RestHelpers.AssertError(otherModel, HttpStatusCode.NotFound, "no logged prediction with request id 'fb-people'");
        Assert.Equal(HttpStatusCode.OK, bulk.Status);
        using (var counts = JsonDocument.Parse(bulk.Body))
        {
            Assert.Equal((2, 1, 1), (counts.RootElement.GetProperty("received").GetInt32(), counts.RootElement.GetProperty("joined").GetInt32(), counts.RootElement.GetProperty("not_found").GetInt32()));
            Assert.Equal(["gone"], counts.RootElement.GetProperty("not_found_ids").EnumerateArray().Select(e => e.GetString()));
        }

        var records = (await log.LogAsync("model=mlp")).ToDictionary(r => r.GetProperty("request_id").GetString()!);
        Assert.Equal("setosa", records["fb-1"].GetProperty("truth").GetString());
        Assert.Equal(0.5, records["fb-2"].GetProperty("truth")[0].GetDouble());
        Assert.NotEqual(JsonValueKind.Null, records["fb-1"].GetProperty("feedback_at").ValueKind);

        foreach (var (bad, message) in new[]
        {
            ("not json", "not valid JSON"),
            ("""{"request_id": "fb-1"}""", "truth (or label, or value) is required"),
            ("""{"truth": 1}""", "request_id is required"),
            ("""{"request_id": "fb-1", "truth": {"a": 1}}""", "truth must be a number, string, boolean"),
            ("""{"request_id": "fb-1", "truth": [[1]]}""", "truth must be a number"),
            ("""{"request_id": "fb-1", "truth": 1, "label": 2}""", "give one of truth, label and value"),
            ("""{"request_id": "fb-1", "truth": 1, "extra": 2}""", "unknown field 'extra'"),
            ("""{"request_id": 7, "truth": 1}""", "request_id must be a non-empty string"),
            ("""[]""", "a bulk upload must hold 1 to"),
            ("""[{"request_id": "fb-1", "truth": 1}, 3]""", "entry 1: each entry must be a JSON object"),
            ("42", "the body must be a JSON object"),
        })
        {
            RestHelpers.AssertError(await log.SendAsync(HttpMethod.Post, "/v2/models/mlp/feedback", bad), HttpStatusCode.BadRequest, message);
        }

        RestHelpers.AssertError(await log.SendAsync(HttpMethod.Post, "/v2/models/bad..name/feedback", """{"request_id": "fb-1", "truth": 1}"""), HttpStatusCode.BadRequest, "valid model name");
        Assert.Empty(log.Server.Errors);
    }

    [Fact]
    public async Task Delete_ByCaller_RemovesExactlyThatCallersRecords()
    {
        await using var log = await PredictionLogServer.StartAsync();
        await log.InferAsync("mlp", PredictionLogModels.MlpBody("a-1", 1f), caller: "alice");
        await log.InferAsync("people", PeopleBody("a-2"), caller: "alice");
        await log.InferAsync("mlp", PredictionLogModels.MlpBody("b-1", 2f), caller: "bob");
        await log.InferAsync("mlp", PredictionLogModels.MlpBody("n-1", 3f));

        var byCaller = await log.SendAsync(HttpMethod.Delete, "/v2/logs/predictions?caller=alice");
        var byId = await log.SendAsync(HttpMethod.Delete, "/v2/logs/predictions?request_id=n-1");

        Assert.Equal((HttpStatusCode.OK, """{"deleted":2}"""), (byCaller.Status, byCaller.Body));
        Assert.Equal((HttpStatusCode.OK, """{"deleted":1}"""), (byId.Status, byId.Body));
        Assert.Equal(["b-1"], (await log.LogAsync("model=mlp")).Select(r => r.GetProperty("request_id").GetString()));
        Assert.Empty(await log.LogAsync("model=people"));
        RestHelpers.AssertError(await log.SendAsync(HttpMethod.Delete, "/v2/logs/predictions"), HttpStatusCode.BadRequest, "exactly one of caller and request_id");
        RestHelpers.AssertError(await log.SendAsync(HttpMethod.Delete, "/v2/logs/predictions?caller=bob&request_id=b-1"), HttpStatusCode.BadRequest, "exactly one of caller and request_id");
    }

    [Fact]
    public async Task Infer_ModelConfigRedactsAndHashes_LogKeepsNoRawValues()
    {
        await using var log = await PredictionLogServer.StartAsync();

        var answer = await log.InferAsync("people", PeopleBody("p-1"));
        await log.InferAsync("people", PeopleBody("p-2"));
        var records = await log.LogAsync("model=people");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(2, records.Length);
        var inputs = records.Single(r => r.GetProperty("request_id").GetString() == "p-1").GetProperty("inputs");
        Assert.True(inputs.GetProperty("INPUT0").GetProperty("redacted").GetBoolean());
        Assert.False(inputs.GetProperty("INPUT0").TryGetProperty("data", out _));
        var hashes = inputs.GetProperty("INPUT1").GetProperty("data").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.All(hashes, h => Assert.Matches("^h:[0-9a-f]{32}$", h));
        // INPUT1 is [7, 7, 8, 9]: equal values keep equal hashes.
        Assert.Equal(hashes[0], hashes[1]);
        Assert.NotEqual(hashes[1], hashes[2]);
        // Outputs are not listed, so they are logged as computed: OUTPUT0 = INPUT0 + INPUT1.
        Assert.Equal([8f, 9f, 11f, 13f], records[0].GetProperty("outputs").GetProperty("OUTPUT0").GetProperty("data").EnumerateArray().Select(e => e.GetSingle()));
        // Nor do the bytes on disk hold INPUT0's values anywhere (file and WAL).
        var onDisk = string.Concat(new[] { log.LogPath, log.LogPath + "-wal" }.Where(File.Exists).Select(File.ReadAllText));
        Assert.Contains("\"data\":[8,9,11,13]", onDisk, StringComparison.Ordinal);
        Assert.DoesNotContain("[1,2,3,4]", onDisk, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_BadParameters_Answer400()
    {
        await using var log = await PredictionLogServer.StartAsync();

        foreach (var (query, message) in new[]
        {
            ("", "model must be a valid model name"),
            ("model=../etc", "model must be a valid model name"),
            ("model=mlp&limit=0", "limit must be a whole number from 1 to 10000"),
            ("model=mlp&limit=ten", "limit must be a whole number"),
            ("model=mlp&since=yesterday", "since must be an ISO 8601 time"),
            ("model=mlp&model=people", "model must appear once"),
        })
        {
            RestHelpers.AssertError(await log.SendAsync(HttpMethod.Get, "/v2/logs/predictions?" + query), HttpStatusCode.BadRequest, message);
        }

        RestHelpers.AssertError(await log.SendAsync(HttpMethod.Put, "/v2/logs/predictions"), HttpStatusCode.MethodNotAllowed);
        Assert.Empty(await log.LogAsync("model=mlp&since=2020-01-01T00:00:00Z&limit=5"));
    }

    [Fact]
    public async Task Infer_CallerHeaderTooLong_Answers400()
    {
        await using var log = await PredictionLogServer.StartAsync();

        var tooLong = await log.InferAsync("mlp", PredictionLogModels.MlpBody("x", 1f), caller: new string('c', 257));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Contains("inferd-caller header must be at most 256 characters", tooLong.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await log.LogAsync("model=mlp"));
    }

    [Fact]
    public async Task ModelInfer_GrpcCallerMetadata_IsLogged()
    {
        await using var log = await PredictionLogServer.StartAsync();
        var request = new ModelInferRequest { ModelName = "mlp", Id = "grpc-1" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "X", Datatype = "FP32", Shape = { 1, 4 }, Contents = new InferTensorContents() };
        input.Contents.Fp32Contents.Add([1f, 2f, 3f, 4f]);
        request.Inputs.Add(input);

        await log.Server.Grpc.ModelInferAsync(request, new Metadata { { "inferd-caller", "grpc-client" } }).ResponseAsync.DefaultTimeout();

        var record = Assert.Single(await log.LogAsync("model=mlp"));
        Assert.Equal(("grpc-1", "grpc-client"), (record.GetProperty("request_id").GetString(), record.GetProperty("caller").GetString()));
    }

    [Fact]
    public async Task Routes_LogOff_Answer404SayingHowToTurnItOn()
    {
        await using var server = await InferdTestServer.StartAsync(fill: PredictionLogModels.Write);

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/v2/logs/predictions?model=mlp"), (HttpMethod.Delete, "/v2/logs/predictions?caller=a"), (HttpMethod.Post, "/v2/models/mlp/feedback") })
        {
            using var request = new HttpRequestMessage(method, path);
            RestHelpers.AssertError(await RestHelpers.SendAsync(server, request), HttpStatusCode.NotFound, "the prediction log is off; start the server with --prediction-log");
        }
    }

    [Fact]
    public async Task Infer_BestEffort_RecordsArriveWithoutWaitingOnTheRequest()
    {
        await using var log = await PredictionLogServer.StartAsync(PredictionLogMode.BestEffort);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await log.InferAsync("mlp", PredictionLogModels.MlpBody("be-" + i, i))).Status);
        }

        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        JsonElement[] records;
        while ((records = await log.LogAsync("model=mlp")).Length < 20)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {records.Length} of 20 records arrived");
            // The commit loop runs on its own; nothing here can signal it.
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(20, records.Length);
    }

    private static string PeopleBody(string id) =>
        "{\"id\": \"" + id + "\", \"inputs\": ["
        + "{\"name\": \"INPUT0\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]},"
        + "{\"name\": \"INPUT1\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [7, 7, 8, 9]}]}";
}

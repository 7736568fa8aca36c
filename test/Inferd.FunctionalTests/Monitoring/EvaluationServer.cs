using System.Globalization;
using System.Net;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Monitoring;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// A real server for the accuracy, fairness and alert routes over two models: <c>score</c> (OUTPUT0 = INPUT0 + INPUT1,
/// FP32 [N,1]; monitoring: a binary task on OUTPUT0 at 0.5, fairness over INPUT1 with privileged group 0) and
/// <c>plain</c> (an identity without a monitoring section). The prediction log (durable, so feedback finds every
/// record at once) and an alerts file are optional.
/// </summary>
internal sealed class EvaluationServer : IAsyncDisposable
{
    public const string ScoreConfig = """
        {"name": "score", "backend": "onnxruntime", "max_batch_size": 8,
         "monitoring": {"task": {"type": "binary", "output": "OUTPUT0", "threshold": 0.5},
                        "fairness": {"attribute": "INPUT1", "privileged": "0"}}}
        """;

    private readonly TempDirectory _folder;

    private EvaluationServer(InferdTestServer server, TempDirectory folder)
    {
        Server = server;
        _folder = folder;
    }

    public InferdTestServer Server { get; }

    public static async Task<EvaluationServer> StartAsync(bool log = true, string? alertsJson = null)
    {
        var folder = new TempDirectory();
        string? alerts = null;
        if (alertsJson is not null)
        {
            alerts = Path.Combine(folder.Path, "alerts.json");
            File.WriteAllText(alerts, alertsJson);
        }

        var server = await InferdTestServer.StartAsync(
            fill: root =>
            {
                ModelRepositoryBuilder.Add(root, "score", TestModels.AddSub(DataType.Fp32, [-1, 1]), ScoreConfig);
                ModelRepositoryBuilder.Add(root, "plain", TestModels.Identity(DataType.Fp32, [-1, 1]), """{"name": "plain", "backend": "onnxruntime", "max_batch_size": 8}""");
            },
            configure: o => o with
            {
                Monitoring = new MonitoringOptions
                {
                    PredictionLog = log ? Path.Combine(folder.Path, "predictions.db") : null,
                    PredictionLogMode = PredictionLogMode.Durable,
                    AlertsFile = alerts,
                },
            });
        return new EvaluationServer(server, folder);
    }

    /// <summary>Sends one v2 request to <c>score</c> with rows (INPUT0, INPUT1); asserts 200.</summary>
    public async Task InferAsync(string id, params (float X, float Group)[] rows)
    {
        var body = "{\"id\": \"" + id + "\", \"inputs\": ["
            + Tensor("INPUT0", rows.Select(r => r.X)) + ", " + Tensor("INPUT1", rows.Select(r => r.Group)) + "]}";
        var answer = await RestHelpers.SendAsync(Server, RestHelpers.Json("/v2/models/score/infer", body));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
    }

    /// <summary>Posts ground truth for a request id; asserts 200.</summary>
    public async Task FeedbackAsync(string model, string id, string truthJson)
    {
        var answer = await RestHelpers.SendAsync(Server, RestHelpers.Json($"/v2/models/{model}/feedback", "{\"request_id\": \"" + id + "\", \"truth\": " + truthJson + "}"));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
    }

    /// <summary>GETs a route; asserts 200 and returns the parsed body.</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        var answer = await RestHelpers.SendAsync(Server, new HttpRequestMessage(HttpMethod.Get, path));
        Assert.True(answer.Status == HttpStatusCode.OK, $"GET {path}: {(int)answer.Status} {answer.Body}");
        Assert.Equal("application/json", answer.ContentType);
        using var document = JsonDocument.Parse(answer.Body);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _folder.Dispose();
    }

    private static string Tensor(string name, IEnumerable<float> values)
    {
        var data = values.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray();
        return "{\"name\": \"" + name + "\", \"datatype\": \"FP32\", \"shape\": [" + data.Length + ", 1], \"data\": [" + string.Join(", ", data) + "]}";
    }
}

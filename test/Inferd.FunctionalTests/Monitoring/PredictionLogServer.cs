using System.Net;
using System.Text.Json;
using Inferd.Monitoring;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>A real server over <see cref="PredictionLogModels"/> with the prediction log in a SQLite file of its own.</summary>
internal sealed class PredictionLogServer : IAsyncDisposable
{
    private readonly TempDirectory _folder;

    private PredictionLogServer(InferdTestServer server, TempDirectory folder, string logPath)
    {
        Server = server;
        _folder = folder;
        LogPath = logPath;
    }

    public InferdTestServer Server { get; }

    public string LogPath { get; }

    public static async Task<PredictionLogServer> StartAsync(PredictionLogMode mode = PredictionLogMode.Durable)
    {
        var folder = new TempDirectory();
        var logPath = Path.Combine(folder.Path, "logs", "predictions.db");
        var server = await InferdTestServer.StartAsync(
            fill: PredictionLogModels.Write,
            configure: o => o with { Monitoring = new MonitoringOptions { PredictionLog = logPath, PredictionLogMode = mode, HashKey = "functional-test-key" } });
        return new PredictionLogServer(server, folder, logPath);
    }

    /// <summary>Sends <paramref name="body"/> to a model's infer route; returns the status, the parsed body and the request-id header.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, string? RequestIdHeader)> InferAsync(string model, string body, string? caller = null)
    {
        using var request = RestHelpers.Json($"/v2/models/{model}/infer", body);
        if (caller is not null)
        {
            request.Headers.Add("inferd-caller", caller);
        }

        using var response = await Server.Http.SendAsync(request).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        var header = response.Headers.TryGetValues("inferd-request-id", out var values) ? values.Single() : null;
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), header);
    }

    /// <summary>GET <c>/v2/logs/predictions</c> with <paramref name="query"/>; asserts 200 and returns the records.</summary>
    public async Task<JsonElement[]> LogAsync(string query)
    {
        using var response = await Server.Http.GetAsync("/v2/logs/predictions?" + query).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET log: {(int)response.StatusCode} {text}");
        return [.. JsonDocument.Parse(text).RootElement.GetProperty("predictions").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Sends a request with a method, path and optional JSON body; returns the status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body, string? ContentType)> SendAsync(HttpMethod method, string path, string? json = null) =>
        await RestHelpers.SendAsync(Server, json is null ? new HttpRequestMessage(method, path) : RestHelpers.Json(path, json, method));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _folder.Dispose();
    }
}

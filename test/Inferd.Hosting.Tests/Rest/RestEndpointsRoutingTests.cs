using System.Net;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Core.Inference;
using Inferd.Hosting.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Tests.Rest;

/// <summary>Route table checks on loopback Kestrel (port 0): precedence, 404 and 405. Full E2E lives elsewhere.</summary>
public sealed class RestEndpointsRoutingTests
{
    private static async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpMethod method, string path)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IInferenceService, StubService>();
        await using var app = builder.Build();
        app.MapInferdRest();
        var ct = TestContext.Current.CancellationToken;
        await app.StartAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var response = await client.SendAsync(new HttpRequestMessage(method, path), ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        await app.StopAsync(ct);
        return (response, body);
    }

    [Fact]
    public async Task Get_ModelsStats_WinsOverModelNamedStats()
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "/v2/models/stats");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"model_stats":[]}""", body);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Post_OnGetOnlyPath_Answers405Json()
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "/v2/health/live");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("""{"error":"method not allowed"}""", body);
    }

    [Fact]
    public async Task Get_UnknownPath_Answers404Json()
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "/v2/systemsharedmemory/status");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"error":"not found"}""", body);
    }

    [Fact]
    public async Task Get_ModelMetadataOfUnknownModel_Answers404FromFacade()
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "/v2/models/nope/versions/1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"error":"unknown model"}""", body);
    }

    [Fact]
    public async Task Get_ServerReadyWhenNotReady_Answers503()
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "/v2/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"ready":false}""", body);
    }

    private sealed class StubService : IInferenceService
    {
        public bool IsLive => true;

        public bool IsReady => false;

        public ServerMetadata GetServerMetadata() => new("inferd", "0", []);

        public bool IsModelReady(string modelName, string? version) => false;

        public ModelMetadata GetModelMetadata(string modelName, string? version) => throw InferenceException.NotFound("unknown model");

        public ModelConfig GetModelConfig(string modelName, string? version) => throw InferenceException.NotFound("unknown model");

        public ModelCard GetModelCard(string modelName) => throw InferenceException.NotFound("unknown model");

        public Task<InferenceResponse> InferAsync(InferenceRequest request, CancellationToken cancellationToken) =>
            throw InferenceException.NotFound("unknown model");

        public IReadOnlyList<ModelStatistics> GetStatistics(string? modelName, string? version) => [];

        public IReadOnlyList<RepositoryIndexEntry> GetRepositoryIndex(bool readyOnly) => [];

        public Task LoadModelAsync(string modelName, IReadOnlyDictionary<string, ParameterValue> parameters, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public Task UnloadModelAsync(string modelName, IReadOnlyDictionary<string, ParameterValue> parameters, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }
}

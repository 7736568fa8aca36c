using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Inferd.Protocol.V2;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.Bench.Tests;

/// <summary>The generated repository (noop and mlp with their -batched variants) loads in a real server.</summary>
public sealed class BenchRepositoryServerTests
{
    [Fact]
    public async Task Serve_GeneratedNoopAndMlp_EveryModelReadyWithItsConfig()
    {
        await using var server = await InferdTestServer.StartAsync(root => BenchModels.WriteRepository(root, ["noop", "mlp"], instances: 1, intraOpThreads: 1));

        foreach (var name in new[] { "noop", "noop-batched", "mlp", "mlp-batched" })
        {
            using var ready = await server.Http.GetAsync($"/v2/models/{name}/ready").DefaultTimeout();
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        using var config = JsonDocument.Parse(await server.Http.GetStringAsync("/v2/models/mlp-batched/config").DefaultTimeout());
        var root = config.RootElement;
        Assert.Equal(64, root.GetProperty("max_batch_size").GetInt32());
        Assert.True(root.TryGetProperty("dynamic_batching", out _));
        Assert.Equal("1", root.GetProperty("parameters").GetProperty("intra_op_thread_count").GetProperty("string_value").GetString());
        using var plain = JsonDocument.Parse(await server.Http.GetStringAsync("/v2/models/mlp/config").DefaultTimeout());
        Assert.False(plain.RootElement.TryGetProperty("dynamic_batching", out _));
        Assert.Empty(server.Errors);
    }

    [Fact]
    public async Task GrpcBody_MlpRequestSentAsFramed_ServerAnswersOneRowOfTenFiniteFloats()
    {
        await using var server = await InferdTestServer.StartAsync(root => BenchModels.WriteRepository(root, ["mlp"]));
        var body = GrpcBody.Frame(GrpcBody.Request("mlp"));

        // What h2load sends is exactly this frame: decode it as the server's gRPC layer would.
        var request = ModelInferRequest.Parser.ParseFrom(body.AsSpan(5));
        var response = await server.Grpc.ModelInferAsync(request).ResponseAsync.DefaultTimeout();

        var output = Assert.Single(response.Outputs);
        Assert.Equal([1L, 10], output.Shape);
        var values = MemoryMarshal.Cast<byte, float>(response.RawOutputContents[0].Span).ToArray();
        Assert.Equal(10, values.Length);
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
    }
}

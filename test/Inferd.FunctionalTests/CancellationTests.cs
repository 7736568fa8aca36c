using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests;

/// <summary>
/// Deadlines stop work (bad-inputs.md rows 18, 23; T9). The slow model is asked for a million iterations, about
/// ten minutes of work; every test here is bounded far below that, so an answer proves the run was terminated.
/// </summary>
public sealed class CancellationTests
{
    private const long Endless = 1_000_000;

    private static Task<InferdTestServer> StartAsync(ModelControlMode mode = ModelControlMode.None) => InferdTestServer.StartAsync(
        root =>
        {
            ModelRepositoryBuilder.Add(root, "slow", TestModels.Slow(), """{"max_batch_size": 0}""");
            ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig);
        },
        mode: mode,
        startupModels: ["*"]);

    [Fact]
    public async Task Rest_TimeoutParameterExpiresDuringRun_504AfterTheRunIsTerminated()
    {
        await using var server = await StartAsync();

        var answer = await RestHelpers.SendAsync(server, RestHelpers.Binary("/v2/models/slow/infer", SlowModelRequests.RestHeader(Endless, 200_000), new byte[1024]));

        RestHelpers.AssertError(answer, HttpStatusCode.GatewayTimeout, "timeout");
        var stats = await server.Http.GetStringAsync("/v2/models/slow/stats").DefaultTimeout();
        using var doc = JsonDocument.Parse(stats);
        Assert.Equal(1, doc.RootElement.GetProperty("model_stats")[0].GetProperty("inference_stats").GetProperty("fail").GetProperty("count").GetInt64());
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Grpc_TimeoutParameter_DeadlineExceededAndServerStillServes()
    {
        await using var server = await StartAsync();
        var request = SlowModelRequests.Grpc(Endless);
        request.Parameters["timeout"] = new InferParameter { Int64Param = 200_000 };

        var status = await GrpcHelpers.StatusOfAsync(() => server.Grpc.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, status);
        await GrpcHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Grpc_ClientDeadline_DeadlineExceededAndServerStillServes()
    {
        await using var server = await StartAsync();

        var status = await GrpcHelpers.StatusOfAsync(() => server.Grpc.ModelInferAsync(SlowModelRequests.Grpc(Endless), deadline: DateTime.UtcNow.AddMilliseconds(300)).ResponseAsync);

        Assert.Equal(StatusCode.DeadlineExceeded, status);
        await GrpcHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Unload_WhileRequestsRun_EveryRequestSucceedsOrGetsACleanErrorAndNothingTears()
    {
        await using var server = await StartAsync(ModelControlMode.Explicit);
        var calls = Enumerable.Range(0, 16).Select(_ => RestHelpers.SendAsync(server, RestHelpers.Binary("/v2/models/slow/infer", SlowModelRequests.RestHeader(200, 0), new byte[1024]))).ToArray();

        var unload = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/repository/models/slow/unload", "{}"));
        var results = await Task.WhenAll(calls).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, unload.Status);
        Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable or HttpStatusCode.NotFound, $"{(int)r.Status}: {r.Body}"));
        var after = await RestHelpers.SendAsync(server, RestHelpers.Binary("/v2/models/slow/infer", SlowModelRequests.RestHeader(1, 0), new byte[1024]));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.Status);
        Assert.Empty(server.Errors);
        await RestHelpers.AssertStillServesAsync(server);
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Inferd.Protocol.V2;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.FunctionalTests.Scheduling;

/// <summary>
/// The scheduler through the real server (Kestrel, ONNX Runtime). A full queue is made without timing: three
/// endless runs of the slow model go to one instance with <c>max_queue_size</c> 1, so whatever the arrival order one
/// runs, one queues, and the third (the only one that can finish by itself) is refused.
/// </summary>
public sealed class SchedulingTests
{
    private const long Endless = 1_000_000;

    private const string QueueOfOne = """{"max_batch_size": 0, "dynamic_batching": {"default_queue_policy": {"max_queue_size": 1}}}""";

    private static Task<InferdTestServer> StartAsync() => InferdTestServer.StartAsync(
        root =>
        {
            ModelRepositoryBuilder.Add(root, "slow", TestModels.Slow(), QueueOfOne);
            ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig);
            ModelRepositoryBuilder.Add(root, "batched", TestModels.Identity(DataType.Fp32, [-1, 4]), """{"max_batch_size": 8, "dynamic_batching": {}, "response_cache": {"enable": true}}""");
        },
        startupModels: ["*"]);

    [Fact]
    public async Task Rest_QueueFull_503WithRetryAfterAndTheModelServesAgainOnceTheOthersLeave()
    {
        await using var server = await StartAsync();
        using var cts = new CancellationTokenSource();
        var calls = Enumerable.Range(0, 3).Select(_ => SendSlowAsync(server, Endless, cts.Token)).ToList();

        var refused = await (await Task.WhenAny(calls).DefaultTimeout()).DefaultTimeout();

        Assert.True(refused.Status == HttpStatusCode.ServiceUnavailable, $"expected 503 for the request over max_queue_size, got {(int)refused.Status}: {refused.Body}");
        Assert.Contains("max_queue_size", refused.Body, StringComparison.Ordinal);
        Assert.Equal("1", refused.RetryAfter);
        await cts.CancelAsync();
        foreach (var call in calls.Where(c => !c.IsCompletedSuccessfully || c.Result.Status != HttpStatusCode.ServiceUnavailable))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call).DefaultTimeout();
        }

        // The client's side ends at once; the server learns of each disconnect a moment later. Wait until it has
        // terminated the running run and removed the queued request (both counted as cancelled), then a short run
        // gets the instance. Sending it earlier raced the server and met a full queue (a CI failure).
        await WaitForCancelledAsync(server, 2);
        var after = await SendSlowAsync(server, 1, CancellationToken.None).DefaultTimeout();
        Assert.True(after.Status == HttpStatusCode.OK, $"{(int)after.Status}: {after.Body}");
        using var stats = JsonDocument.Parse(await server.Http.GetStringAsync("/v2/models/slow/stats").DefaultTimeout());
        Assert.True(stats.RootElement.GetProperty("model_stats")[0].GetProperty("inference_stats").GetProperty("fail").GetProperty("count").GetInt64() >= 1);
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Grpc_QueueFull_UnavailableAndTheModelServesAgainOnceTheOthersLeave()
    {
        await using var server = await StartAsync();
        using var cts = new CancellationTokenSource();
        var calls = Enumerable.Range(0, 3).Select(_ => server.Grpc.ModelInferAsync(SlowModelRequests.Grpc(Endless), cancellationToken: cts.Token).ResponseAsync).ToList();

        var refused = await Task.WhenAny(calls).DefaultTimeout();

        var error = await Assert.ThrowsAsync<RpcException>(() => refused).DefaultTimeout();
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("max_queue_size", error.Status.Detail, StringComparison.Ordinal);
        await cts.CancelAsync();
        foreach (var call in calls.Where(c => c != refused))
        {
            Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => call).DefaultTimeout()).StatusCode);
        }

        await WaitForCancelledAsync(server, 2);
        var after = await server.Grpc.ModelInferAsync(SlowModelRequests.Grpc(1)).ResponseAsync.DefaultTimeout();
        Assert.Single(after.RawOutputContents);
        await GrpcHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Rest_StatisticsAfterRequestsOfTwoBatchSizes_ShowBatchStatsAndCacheFields()
    {
        await using var server = await StartAsync();
        foreach (var rows in new[] { 1, 2, 2 })
        {
            var data = string.Join(",", Enumerable.Range(rows, rows * 4));
            var body = $$"""{"inputs": [{"name": "INPUT0", "datatype": "FP32", "shape": [{{rows}}, 4], "data": [{{data}}]}]}""";
            var answer = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/batched/infer", body));
            Assert.True(answer.Status == HttpStatusCode.OK, $"{(int)answer.Status}: {answer.Body}");
        }

        using var doc = JsonDocument.Parse(await server.Http.GetStringAsync("/v2/models/batched/stats").DefaultTimeout());

        var model = doc.RootElement.GetProperty("model_stats")[0];
        var inference = model.GetProperty("inference_stats");
        Assert.Equal(3, inference.GetProperty("success").GetProperty("count").GetInt64());
        foreach (var field in new[] { "cache_hit", "cache_miss" })
        {
            Assert.True(inference.GetProperty(field).TryGetProperty("count", out _), $"{field} has no count");
            Assert.True(inference.GetProperty(field).TryGetProperty("ns", out _), $"{field} has no ns");
        }

        var batches = model.GetProperty("batch_stats").EnumerateArray().ToArray();
        Assert.Equal([1L, 2L], batches.Select(b => b.GetProperty("batch_size").GetInt64()));
        var cacheHits = inference.GetProperty("cache_hit").GetProperty("count").GetInt64();
        // Two identical batch-2 requests: one execution of size 2, or one plus a cache hit when the server cache is on.
        Assert.Equal(3 - cacheHits, batches.Sum(b => b.GetProperty("compute_infer").GetProperty("count").GetInt64()));
        Assert.Equal(3 - cacheHits, model.GetProperty("execution_count").GetInt64());

        var grpc = await server.Grpc.ModelStatisticsAsync(new ModelStatisticsRequest { Name = "batched" }).ResponseAsync.DefaultTimeout();
        Assert.Equal([1UL, 2UL], grpc.ModelStats[0].BatchStats.Select(b => b.BatchSize));
        Assert.NotNull(grpc.ModelStats[0].InferenceStats.CacheHit);
        Assert.NotNull(grpc.ModelStats[0].InferenceStats.CacheMiss);
    }

    /// <summary>Reads the slow model's statistics until <paramref name="count"/> requests are counted as cancelled; no fixed waits.</summary>
    private static async Task WaitForCancelledAsync(InferdTestServer server, long count)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            using var stats = JsonDocument.Parse(await server.Http.GetStringAsync("/v2/models/slow/stats").DefaultTimeout());
            if (stats.RootElement.GetProperty("model_stats")[0].GetProperty("failures_by_reason").GetProperty("cancelled").GetInt64() >= count)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the server never counted {count} cancelled requests");
            await Task.Yield();
        }
    }

    private static async Task<(HttpStatusCode Status, string Body, string? RetryAfter)> SendSlowAsync(InferdTestServer server, long iterations, CancellationToken cancellationToken)
    {
        using var request = RestHelpers.Binary("/v2/models/slow/infer", SlowModelRequests.RestHeader(iterations), new byte[1024]);
        using var response = await server.Http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, body, response.Headers.TryGetValues("Retry-After", out var values) ? values.First() : null);
    }
}

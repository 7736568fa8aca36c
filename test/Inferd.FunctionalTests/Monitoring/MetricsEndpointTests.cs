using System.Net;
using Inferd.Core.Telemetry;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// <c>/metrics</c> on its own port of a real server (Kestrel, ONNX Runtime): the page is scraped and parsed as
/// Prometheus would, and each figure is checked against the requests the test sent.
/// </summary>
public sealed class MetricsEndpointTests
{
    private const long Endless = 1_000_000;

    private static readonly (string, string)[] Simple = [("model", "simple"), ("version", "1")];
    private static readonly (string, string)[] Batched = [("model", "batched"), ("version", "1")];

    private static readonly string[] RequestHistograms =
    [
        "inferd_request_duration_seconds", "inferd_queue_duration_seconds", "inferd_compute_input_duration_seconds",
        "inferd_compute_infer_duration_seconds", "inferd_compute_output_duration_seconds",
    ];

    private static Task<InferdTestServer> StartAsync(MetricsNaming naming = MetricsNaming.Inferd) => InferdTestServer.StartAsync(
        root =>
        {
            ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig);
            ModelRepositoryBuilder.Add(root, "batched", TestModels.Identity(DataType.Fp32, [-1, 4]), """{"max_batch_size": 8, "dynamic_batching": {}}""");
            ModelRepositoryBuilder.Add(root, "slow", TestModels.Slow(), """{"max_batch_size": 0, "dynamic_batching": {}, "instance_group": [{"count": 1, "kind": "KIND_CPU"}]}""");
        },
        configure: o => o with { MetricsPort = 0, MetricsNaming = naming });

    [Fact]
    public async Task Scrape_RestAndGrpcRequestsAndABadInput_CountsAndHistogramsMatchTheRequests()
    {
        await using var server = await StartAsync();
        for (var i = 0; i < 3; i++)
        {
            var ok = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody));
            Assert.Equal(HttpStatusCode.OK, ok.Status);
        }

        await server.Grpc.ModelInferAsync(GrpcHelpers.SimpleRaw(batch: 2)).ResponseAsync.DefaultTimeout();
        var bad = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody.Replace("\"INT32\"", "\"FP32\"", StringComparison.Ordinal)));
        RestHelpers.AssertError(bad, HttpStatusCode.BadRequest);

        using var response = await server.Metrics.GetAsync("/metrics").DefaultTimeout();
        var page = PrometheusPage.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(4, page.Value("inferd_request_success_total", Simple));
        Assert.Equal(1, page.Value("inferd_request_failure_total", [.. Simple, ("reason", "REJECTED")]));
        Assert.Equal(0, page.Value("inferd_request_failure_total", [.. Simple, ("reason", "BACKEND")]));
        Assert.Equal(5, page.Value("inferd_inference_count_total", Simple));
        Assert.Equal(4, page.Value("inferd_execution_count_total", Simple));
        Assert.Equal(0, page.Value("inferd_pending_requests", Simple));
        Assert.Equal(0, page.Value("inferd_cache_hit_total", Simple));
        foreach (var name in RequestHistograms)
        {
            AssertCumulative(page, name, Simple, expectedCount: 4);
        }

        var batches = AssertCumulative(page, "inferd_batch_size", Simple, expectedCount: 4);
        Assert.Equal(5, batches.Sum);
        // Models that ran nothing are listed with zeros, so a dashboard sees every ready version.
        Assert.Equal(0, page.Value("inferd_request_success_total", Batched));
        Assert.Equal(0, page.Histogram("inferd_request_duration_seconds", Batched).Count);
    }

    [Fact]
    public async Task Scrape_BatchingModelRunsOfOneTwoAndThreeRows_BatchSizeHistogramPlacesEach()
    {
        await using var server = await StartAsync();
        foreach (var rows in new[] { 1, 2, 3 })
        {
            var data = string.Join(",", Enumerable.Range(0, rows * 4));
            var body = $$"""{"inputs": [{"name": "INPUT0", "datatype": "FP32", "shape": [{{rows}}, 4], "data": [{{data}}]}]}""";
            Assert.Equal(HttpStatusCode.OK, (await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/batched/infer", body))).Status);
        }

        var page = await server.ScrapeAsync();

        var (buckets, sum, count) = AssertCumulative(page, "inferd_batch_size", Batched, expectedCount: 3);
        Assert.Equal(6, sum);
        Assert.Equal([1.0, 2.0, 3.0], new[] { 1.0, 2.0, 4.0 }.Select(le => buckets.Single(b => b.Le == le).Count));
        Assert.Equal(count, page.Value("inferd_execution_count_total", Batched));
        Assert.Equal(6, page.Value("inferd_inference_count_total", Batched));
        Assert.Equal("histogram", page.Types["inferd_batch_size"]);
    }

    [Fact]
    public async Task Scrape_RequestHeldBehindAnEndlessRun_PendingRequestsAboveZeroUntilCancelled()
    {
        await using var server = await StartAsync();
        using var cts = new CancellationTokenSource();
        var calls = Enumerable.Range(0, 2).Select(_ => server.Grpc.ModelInferAsync(SlowModelRequests.Grpc(Endless), cancellationToken: cts.Token).ResponseAsync).ToList();
        var slow = new[] { ("model", "slow"), ("version", "1") };

        // One run holds the only instance, so the other request stays queued until the test cancels it.
        var pending = await PollAsync(server, page => page.Value("inferd_pending_requests", slow) >= 1);

        Assert.Equal(1, pending.Value("inferd_pending_requests", slow));
        await cts.CancelAsync();
        foreach (var call in calls)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => call).DefaultTimeout();
        }

        var after = await PollAsync(server, page => page.Value("inferd_request_failure_total", [.. slow, ("reason", "CANCELED")]) == 2);
        Assert.Equal(0, after.Value("inferd_pending_requests", slow));
    }

    [Fact]
    public async Task Scrape_TritonNaming_NvCountersAndGaugeWithTritonTypesAndInferdHistograms()
    {
        await using var server = await StartAsync(MetricsNaming.Triton);
        Assert.Equal(HttpStatusCode.OK, (await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody))).Status);
        RestHelpers.AssertError(await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody.Replace("\"INT32\"", "\"FP32\"", StringComparison.Ordinal))), HttpStatusCode.BadRequest);

        var page = await server.ScrapeAsync();

        Assert.Equal(1, page.Value("nv_inference_request_success", Simple));
        Assert.Equal(1, page.Value("nv_inference_request_failure", [.. Simple, ("reason", "REJECTED")]));
        Assert.Equal(1, page.Value("nv_inference_count", Simple));
        Assert.Equal(1, page.Value("nv_inference_exec_count", Simple));
        Assert.Equal(0, page.Value("nv_inference_pending_request_count", Simple));
        Assert.Equal("gauge", page.Types["nv_inference_pending_request_count"]);
        foreach (var name in new[] { "nv_inference_request_duration_us", "nv_inference_queue_duration_us", "nv_inference_compute_input_duration_us", "nv_inference_compute_infer_duration_us", "nv_inference_compute_output_duration_us", "nv_cache_num_hits_per_model" })
        {
            Assert.Equal("counter", page.Types[name]);
        }

        Assert.True(page.Value("nv_inference_request_duration_us", Simple) > 0);
        Assert.Empty(page.Find("inferd_request_success_total"));
        AssertCumulative(page, "inferd_request_duration_seconds", Simple, expectedCount: 1);
    }

    [Fact]
    public async Task Scrape_AfterARejectedRequest_ProcessAndRuntimeMetricsPresentWithExceptionsCounted()
    {
        await using var server = await StartAsync();
        // A rejected request throws inside the server: at least that exception is counted.
        RestHelpers.AssertError(await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/simple/infer", RestHelpers.GoodSimpleBody.Replace("\"INT32\"", "\"FP32\"", StringComparison.Ordinal))), HttpStatusCode.BadRequest);

        var page = await server.ScrapeAsync();

        foreach (var (name, type) in new[]
        {
            ("process_cpu_seconds_total", "counter"), ("process_resident_memory_bytes", "gauge"), ("process_virtual_memory_bytes", "gauge"),
            ("process_start_time_seconds", "gauge"), ("process_open_fds", "gauge"), ("process_threads", "gauge"),
            ("dotnet_gc_collections_total", "counter"), ("dotnet_gc_heap_size_bytes", "gauge"), ("dotnet_gc_allocated_bytes_total", "counter"),
            ("dotnet_gc_pause_seconds_total", "counter"), ("dotnet_threadpool_threads", "gauge"), ("dotnet_threadpool_queue_length", "gauge"),
            ("dotnet_threadpool_completed_items_total", "counter"), ("dotnet_exceptions_total", "counter"),
        })
        {
            Assert.True(page.Types.TryGetValue(name, out var actual), $"{name} is missing");
            Assert.Equal(type, actual);
            Assert.NotEmpty(page.Find(name));
        }

        Assert.True(page.Value("process_resident_memory_bytes") > 1_000_000);
        Assert.True(page.Value("process_open_fds") > 0);
        Assert.True(page.Value("dotnet_exceptions_total") >= 1);
        Assert.True(page.Value("process_start_time_seconds") > 1_600_000_000);
        Assert.Equal(["0", "1", "2"], page.Find("dotnet_gc_collections_total").Select(s => s.Labels["generation"]));
    }

    [Fact]
    public async Task Ports_EachServesOnlyItsOwnRoutes_MetricsNotOnRestAndV2NotOnMetrics()
    {
        await using var server = await StartAsync();

        var onRest = await RestHelpers.SendAsync(server, new HttpRequestMessage(HttpMethod.Get, "/metrics"));
        using var live = await server.Metrics.GetAsync("/v2/health/live").DefaultTimeout();
        using var infer = await server.Metrics.PostAsync("/v2/models/simple/infer", new StringContent(RestHelpers.GoodSimpleBody)).DefaultTimeout();
        using var post = await server.Metrics.PostAsync("/metrics", new StringContent("")).DefaultTimeout();
        using var head = await server.Metrics.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics")).DefaultTimeout();

        RestHelpers.AssertError(onRest, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, live.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, infer.StatusCode);
        Assert.Contains("\"error\"", await live.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", post.Content.Headers.Allow));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.NotEqual(server.Info.HttpPort, server.Info.MetricsPort);
        Assert.True(await server.IsLiveAsync());
    }

    [Fact]
    public async Task TestServer_Default_MetricsPortOff()
    {
        await using var server = await InferdTestServer.StartAsync(root => ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig));

        Assert.Equal(-1, server.Info.MetricsPort);
        await Assert.ThrowsAsync<InvalidOperationException>(server.ScrapeAsync);
    }

    private static (IReadOnlyList<(double Le, double Count)> Buckets, double Sum, double Count) AssertCumulative(PrometheusPage page, string name, (string, string)[] labels, double expectedCount)
    {
        var histogram = page.Histogram(name, labels);
        Assert.True(histogram.Count == expectedCount, $"{name}_count is {histogram.Count}, expected {expectedCount}");
        Assert.True(double.IsPositiveInfinity(histogram.Buckets[^1].Le), $"{name}: the last bucket is not +Inf");
        Assert.Equal(histogram.Count, histogram.Buckets[^1].Count);
        for (var i = 1; i < histogram.Buckets.Count; i++)
        {
            Assert.True(histogram.Buckets[i].Count >= histogram.Buckets[i - 1].Count, $"{name}: bucket le={histogram.Buckets[i].Le} is below the one before");
        }

        return histogram;
    }

    /// <summary>Scrapes until <paramref name="done"/> holds, bounded by <see cref="TestTimeouts.Default"/>; no fixed waits.</summary>
    private static async Task<PrometheusPage> PollAsync(InferdTestServer server, Func<PrometheusPage, bool> done)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            var page = await server.ScrapeAsync();
            if (done(page))
            {
                return page;
            }

            Assert.True(DateTime.UtcNow < deadline, "the metrics never reached the expected state");
            await Task.Yield();
        }
    }
}

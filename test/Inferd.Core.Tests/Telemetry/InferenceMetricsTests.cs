using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Core.Telemetry;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using Inferd.Testing.Server;
using static Inferd.Core.Tests.Scheduling.Sched;

namespace Inferd.Core.Tests.Telemetry;

/// <summary>The facade's per-model metrics source over the fake echo model, read as a scraper would.</summary>
public sealed class InferenceMetricsTests
{
    private static readonly (string, string)[] M1 = [("model", "m"), ("version", "1")];

    private static readonly string[] Durations =
    [
        "inferd_request_duration_seconds", "inferd_queue_duration_seconds", "inferd_compute_input_duration_seconds",
        "inferd_compute_infer_duration_seconds", "inferd_compute_output_duration_seconds",
    ];

    [Fact]
    public async Task Collect_ThreeSuccessesAndOneBadInput_CountersAndHistogramCountsMatchTheRequests()
    {
        var f = new ServiceFixture(ModelControlMode.None);
        await using var _ = f;
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync();
        foreach (var rows in new[] { 1, 2, 2 })
        {
            await service.InferAsync(Tagged("m", rows, rows), CancellationToken.None).DefaultTimeout();
        }

        var bad = new InferenceRequest("m", null, null, [new InferenceTensor("x", DataType.Int64, [1, 4], new byte[32])], [], new Dictionary<string, ParameterValue>());
        await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(bad, CancellationToken.None)).DefaultTimeout();

        var page = Scrape(service.CreateMetricsSource(MetricsNaming.Inferd));

        Assert.Equal(3, page.Value("inferd_request_success_total", M1));
        Assert.Equal(1, page.Value("inferd_request_failure_total", [.. M1, ("reason", "REJECTED")]));
        Assert.All(new[] { "CANCELED", "BACKEND", "OTHER" }, reason => Assert.Equal(0, page.Value("inferd_request_failure_total", [.. M1, ("reason", reason)])));
        Assert.Equal(5, page.Value("inferd_inference_count_total", M1));
        Assert.Equal(3, page.Value("inferd_execution_count_total", M1));
        Assert.Equal(0, page.Value("inferd_pending_requests", M1));
        Assert.Equal("gauge", page.Types["inferd_pending_requests"]);
        Assert.Equal("counter", page.Types["inferd_request_success_total"]);
        foreach (var name in Durations)
        {
            Assert.Equal("histogram", page.Types[name]);
            AssertHistogram(page, name, expectedCount: 3);
        }

        var (buckets, sum, count) = AssertHistogram(page, "inferd_batch_size", expectedCount: 3);
        Assert.Equal(5, sum);
        Assert.Equal(1, buckets.Single(b => b.Le == 1).Count);
        Assert.Equal(3, buckets.Single(b => b.Le == 2).Count);
        Assert.Equal(count, buckets[^1].Count);
    }

    [Fact]
    public async Task Collect_TritonNaming_NvCountersInMicrosecondsAndInferdHistograms()
    {
        var f = new ServiceFixture(ModelControlMode.None);
        await using var _ = f;
        f.Model("m", 1, ServiceFixture.Echo, ServiceFixture.EchoOut);
        var service = await f.StartAsync();
        for (var i = 0; i < 2; i++)
        {
            await service.InferAsync(Tagged("m", i), CancellationToken.None).DefaultTimeout();
        }

        var page = Scrape(service.CreateMetricsSource(MetricsNaming.Triton));

        Assert.Equal(2, page.Value("nv_inference_request_success", M1));
        Assert.Equal(0, page.Value("nv_inference_request_failure", [.. M1, ("reason", "REJECTED")]));
        Assert.Equal(2, page.Value("nv_inference_count", M1));
        Assert.Equal(2, page.Value("nv_inference_exec_count", M1));
        Assert.Equal(0, page.Value("nv_inference_pending_request_count", M1));
        Assert.Equal("gauge", page.Types["nv_inference_pending_request_count"]);
        foreach (var name in new[] { "nv_inference_request_duration_us", "nv_inference_queue_duration_us", "nv_inference_compute_input_duration_us", "nv_inference_compute_infer_duration_us", "nv_inference_compute_output_duration_us" })
        {
            Assert.Equal("counter", page.Types[name]);
            Assert.True(page.Value(name, M1) >= 0);
        }

        // The microsecond counter is the histogram's sum (seconds) in whole microseconds.
        var (_, seconds, _) = page.Histogram("inferd_request_duration_seconds", M1);
        Assert.InRange(page.Value("nv_inference_request_duration_us", M1), Math.Floor((seconds * 1e6) - 2), Math.Ceiling(seconds * 1e6));
        Assert.Empty(page.Find("inferd_request_success_total"));
        Assert.Equal(2, page.Histogram("inferd_compute_infer_duration_seconds", M1).Count);
    }

    [Fact]
    public async Task Collect_RequestQueuedBehindARunningOne_PendingRequestsIsOneUntilReleased()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, null);
        var source = f.Service!.CreateMetricsSource(MetricsNaming.Inferd);
        var (_, running) = await OccupyAsync(f, log);

        var queued = f.Infer(Tagged("m", 2));

        Assert.Equal(1, Scrape(source).Value("inferd_pending_requests", M1));
        log.ReleaseAll();
        await Task.WhenAll(running, queued).DefaultTimeout();
        var page = Scrape(source);
        Assert.Equal(0, page.Value("inferd_pending_requests", M1));
        Assert.Equal(2, page.Value("inferd_request_success_total", M1));
        // The queued request waited, the first did not; both count in the queue histogram.
        Assert.Equal(2, page.Histogram("inferd_queue_duration_seconds", M1).Count);
    }

    private static PrometheusPage Scrape(IMetricsSource source)
    {
        var text = new StringBuilder();
        source.Collect(new PrometheusWriter(text));
        return PrometheusPage.Parse(text.ToString());
    }

    private static (IReadOnlyList<(double Le, double Count)> Buckets, double Sum, double Count) AssertHistogram(PrometheusPage page, string name, double expectedCount)
    {
        var histogram = page.Histogram(name, M1);
        Assert.Equal(expectedCount, histogram.Count);
        Assert.Equal(histogram.Count, histogram.Buckets[^1].Count);
        Assert.True(double.IsPositiveInfinity(histogram.Buckets[^1].Le), $"{name}: last bucket is le={histogram.Buckets[^1].Le}");
        for (var i = 1; i < histogram.Buckets.Count; i++)
        {
            Assert.True(histogram.Buckets[i].Le > histogram.Buckets[i - 1].Le, $"{name}: bounds not increasing");
            Assert.True(histogram.Buckets[i].Count >= histogram.Buckets[i - 1].Count, $"{name}: bucket {histogram.Buckets[i].Le} below the one before");
        }

        return histogram;
    }
}

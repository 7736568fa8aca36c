using System.Text;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Accuracy;
using Inferd.Monitoring.PredictionLog;
using Inferd.Monitoring.Tests.PredictionLog;
using Inferd.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Inferd.Monitoring.Tests.Accuracy.LoggedRecords;

namespace Inferd.Monitoring.Tests.Accuracy;

public sealed class LiveAccuracyMonitorTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public async Task RefreshAsync_RecordsWithFeedback_FiguresInMetricsAndSignals()
    {
        await using var service = await MonitoredService.StartAsync();
        // Four rows with feedback (TP 0.9, FP 0.7, TN 0.2, FN 0.4) and one without, which is not read.
        await AppendAsync(service.Store, ("a", 0.9f, "1"), ("b", 0.7f, "0"), ("c", 0.2f, "false"), ("d", 0.4f, "true"), ("e", 0.8f, null));
        var monitor = new LiveAccuracyMonitor(service.Service, service.Store, TimeProvider.System, NullLogger<LiveAccuracyMonitor>.Instance);

        var figures = Assert.Single(await monitor.RefreshAsync(null, null, CancellationToken.None).DefaultTimeout());
        var signals = await monitor.ReadSignalsAsync(CancellationToken.None).DefaultTimeout();
        var text = new StringBuilder();
        monitor.Collect(new PrometheusWriter(text));

        Assert.Equal(("score", "1", 4, 4), (figures.Model, figures.Version, figures.Records, figures.Rows));
        Assert.Equal(0.5, figures.Metrics.Single(m => m.Name == "accuracy").Value, Tolerance);
        // Positives 0.9, 0.4 against negatives 0.7, 0.2: 0.9 wins twice, 0.4 once: 3 of 4.
        Assert.Equal(0.75, figures.Metrics.Single(m => m.Name == "auc").Value, Tolerance);
        Assert.Contains(signals, s => s is { Kind: "accuracy", Model: "score", Version: "1", Name: "accuracy", Value: 0.5 });
        Assert.Contains("inferd_live_accuracy{model=\"score\",version=\"1\",metric=\"accuracy\"} 0.5\n", text.ToString());
        Assert.Contains("inferd_live_feedback_rows{model=\"score\",version=\"1\"} 4\n", text.ToString());
        Assert.DoesNotContain("plain", text.ToString());
    }

    [Fact]
    public async Task Start_TimerFires_RefreshesWithoutAnyRead()
    {
        await using var service = await MonitoredService.StartAsync();
        await AppendAsync(service.Store, ("a", 0.9f, "1"));
        var time = new FakeTimeProvider(Start);
        await using var monitor = new LiveAccuracyMonitor(service.Service, service.Store, time, NullLogger<LiveAccuracyMonitor>.Instance);
        monitor.Start();

        time.Advance(LiveAccuracyMonitor.RefreshPeriod);
        await Poll.UntilAsync(() => monitor.Current.Count == 1, "the timer's refresh");

        Assert.Equal(1.0, monitor.Current[0].Metrics.Single(m => m.Name == "accuracy").Value);
    }

    [Fact]
    public async Task RefreshAsync_LogOff_NothingToEvaluate()
    {
        await using var service = await MonitoredService.StartAsync();
        var monitor = new LiveAccuracyMonitor(service.Service, null, TimeProvider.System, NullLogger<LiveAccuracyMonitor>.Instance);

        Assert.False(monitor.LogEnabled);
        Assert.Empty(await monitor.RefreshAsync("score", null, CancellationToken.None).DefaultTimeout());
        Assert.Empty(await monitor.ReadSignalsAsync(CancellationToken.None).DefaultTimeout());
    }

    /// <summary>Logs one single-row record of <c>score</c> per entry, then posts its truth (when not null) as feedback.</summary>
    internal static async Task AppendAsync(IPredictionLogStore store, params (string Id, float Score, string? Truth)[] rows)
    {
        var records = rows.Select((r, i) => Make(r.Id, Tensor("group", "BYTES", "[1]", "[\"" + (i % 2 == 0 ? "a" : "b") + "\"]"), Tensor("OUTPUT0", "FP32", "[1,1]", "[" + r.Score.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]"), null, model: "score", second: i)).ToArray();
        await store.AppendAsync(records, durable: false, CancellationToken.None).DefaultTimeout();
        foreach (var (id, _, truth) in rows.Where(r => r.Truth is not null))
        {
            Assert.True(await store.SetFeedbackAsync(id, truth!, Start.AddMinutes(1), CancellationToken.None).DefaultTimeout());
        }
    }
}

using System.Text;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Fairness;
using Inferd.Monitoring.Tests.Accuracy;
using Inferd.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Monitoring.Tests.Fairness;

public sealed class FairnessMonitorTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public async Task RefreshAsync_LoggedTraffic_GroupRatesMetricsAndSignals()
    {
        await using var service = await MonitoredService.StartAsync();
        // Groups alternate a, b: a gets 0.9, 0.8, 0.1 (2 of 3 positive), b gets 0.7, 0.2 (1 of 2).
        // Feedback: a: 0.9 true (TP), 0.1 true (FN) -> TPR 1/2; b: 0.7 true (TP) -> TPR 1.
        await LiveAccuracyMonitorTests.AppendAsync(service.Store, ("1", 0.9f, "1"), ("2", 0.7f, "1"), ("3", 0.8f, null), ("4", 0.2f, null), ("5", 0.1f, "1"));
        var monitor = new FairnessMonitor(service.Service, service.Store, TimeProvider.System, NullLogger<FairnessMonitor>.Instance);

        var figures = Assert.Single(await monitor.RefreshAsync("score", "1", CancellationToken.None).DefaultTimeout());
        var signals = await monitor.ReadSignalsAsync(CancellationToken.None).DefaultTimeout();
        var text = new StringBuilder();
        monitor.Collect(new PrometheusWriter(text));

        var report = figures.Report;
        Assert.Equal(("group", "a", 5), (figures.Attribute, report.ReferenceGroup, figures.Records));
        Assert.Equal(2.0 / 3, report.Groups[0].PositiveRate, Tolerance);
        Assert.Equal(0.5, report.Groups[1].PositiveRate, Tolerance);
        Assert.Equal(2.0 / 3 - 0.5, report.DemographicParityDifference!.Value, Tolerance);
        Assert.Equal(0.75, report.DisparateImpactRatio!.Value, Tolerance);
        Assert.Equal(0.5, report.EqualOpportunityDifference!.Value, Tolerance);
        Assert.Contains(signals, s => s is { Kind: "fairness", Model: "score", Name: "disparate_impact_ratio", Value: 0.75 });
        Assert.Contains("inferd_fairness_positive_rate{model=\"score\",version=\"1\",attribute=\"group\",group=\"b\"} 0.5\n", text.ToString());
        Assert.Contains("inferd_fairness_disparate_impact_ratio{model=\"score\",version=\"1\",attribute=\"group\"} 0.75\n", text.ToString());
        Assert.Contains("inferd_fairness_equal_opportunity_difference{model=\"score\",version=\"1\",attribute=\"group\"} 0.5\n", text.ToString());
    }

    [Fact]
    public async Task RefreshAsync_ModelWithoutFairnessSection_NotEvaluated()
    {
        await using var service = await MonitoredService.StartAsync();
        var monitor = new FairnessMonitor(service.Service, service.Store, TimeProvider.System, NullLogger<FairnessMonitor>.Instance);

        Assert.Empty(await monitor.RefreshAsync("plain", null, CancellationToken.None).DefaultTimeout());
    }
}

using System.Text;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Drift;
using Inferd.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Inferd.Monitoring.Tests.Drift;

public sealed class DriftMonitorTests : IDisposable
{
    private const string Settings = """{"drift": {"window": 1000, "min_rows": 200}}""";

    private readonly TempDirectory _repository = new();
    private readonly FakeTimeProvider _time = new();
    private readonly DriftMonitor _monitor;

    public DriftMonitorTests() => _monitor = new DriftMonitor(_repository.Path, _time, NullLogger<DriftMonitor>.Instance);

    [Fact]
    public async Task OnInferredAsync_ModelWithoutProfile_KeepsNothing()
    {
        await _monitor.OnInferredAsync(DriftTestData.Observation(new Random(1), 10), TestContext.Current.CancellationToken);

        Assert.Null(_monitor.GetReport(DriftTestData.Config(), "1", TimeSpan.Zero));
        Assert.Empty(_monitor.Reports());
    }

    [Fact]
    public async Task GetReport_ShiftedTraffic_FlagsTheShiftedFeatureAndThePrediction()
    {
        // Arrange
        DriftTestData.WriteProfile(_repository.Path, DriftTestData.Profile(seed: 1, rows: 5_000));
        var config = DriftTestData.Config(Settings);
        var random = new Random(5);

        // Act
        await _monitor.OnInferredAsync(DriftTestData.Observation(random, 1_000, shift: 1.0, config: config), TestContext.Current.CancellationToken);
        var report = _monitor.GetReport(config, "1", TimeSpan.Zero)!;

        // Assert
        Assert.Equal((1_000L, 5_000L, 1_000, 200), (report.LiveRows, report.ReferenceRows, report.Window, report.MinRows));
        Assert.Equal(["x[1]"], report.Inputs.Where(f => f.Flagged).Select(f => f.Name));
        Assert.True(report.DriftDetected);
        Assert.True(report.PredictionDriftDetected);
        var x1 = report.Inputs.Single(f => f.Name == "x[1]");
        Assert.Equal(("ks", 1_000L), (x1.Test, x1.LiveCount));
        Assert.True(x1.PValue < 1e-10 && x1.Psi > 0.2, $"p {x1.PValue}, PSI {x1.Psi}");
        Assert.Equal("chi2", report.Inputs.Single(f => f.Name == "color").Test);
    }

    [Fact]
    public async Task GetReport_FewerRowsThanMinRows_GivesNoVerdict()
    {
        DriftTestData.WriteProfile(_repository.Path, DriftTestData.Profile(seed: 1, rows: 2_000));
        var config = DriftTestData.Config(Settings);

        await _monitor.OnInferredAsync(DriftTestData.Observation(new Random(5), 100, shift: 3.0, config: config), TestContext.Current.CancellationToken);
        var report = _monitor.GetReport(config, "1", TimeSpan.Zero)!;

        Assert.All(report.Inputs, f => Assert.False(f.HasVerdict || f.Flagged));
        Assert.True(report.Inputs.Single(f => f.Name == "x[1]").PValue < 1e-6);
    }

    [Fact]
    public async Task Collect_AfterTraffic_WritesTheDriftFamilies()
    {
        // Arrange
        DriftTestData.WriteProfile(_repository.Path, DriftTestData.Profile(seed: 1, rows: 2_000));
        var config = DriftTestData.Config(Settings);
        var random = new Random(6);
        await _monitor.OnInferredAsync(DriftTestData.Observation(random, 500, config: config), TestContext.Current.CancellationToken);
        var nan = DriftTestData.Observation([DriftTestData.Doubles("amount", [double.NaN])], [], config: config);
        await _monitor.OnInferredAsync(nan, TestContext.Current.CancellationToken);

        // Act
        var text = new StringBuilder();
        _monitor.Collect(new PrometheusWriter(text));

        // Assert
        var metrics = text.ToString();
        Assert.Contains("inferd_drift_live_rows{model=\"synthetic\",version=\"1\"} 501\n", metrics, StringComparison.Ordinal);
        Assert.Contains("inferd_drift_psi{model=\"synthetic\",version=\"1\",feature=\"x[0]\",role=\"input\"} ", metrics, StringComparison.Ordinal);
        Assert.Contains("inferd_drift_ks_statistic{model=\"synthetic\",version=\"1\",feature=\"score\",role=\"prediction\"} ", metrics, StringComparison.Ordinal);
        Assert.Contains("inferd_drift_p_value{model=\"synthetic\",version=\"1\",feature=\"color\",role=\"input\",test=\"chi2\"} ", metrics, StringComparison.Ordinal);
        Assert.Contains("inferd_drift_detected{model=\"synthetic\",version=\"1\",feature=\"amount\",role=\"input\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("inferd_data_quality_total{model=\"synthetic\",version=\"1\",feature=\"amount\",role=\"input\",kind=\"nan\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("inferd_data_quality_total{model=\"synthetic\",version=\"1\",feature=\"color\",role=\"input\",kind=\"missing\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("inferd_drift_skipped_requests_total 0\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadSignalsAsync_AfterTraffic_NamesFiguresPerFeature()
    {
        DriftTestData.WriteProfile(_repository.Path, DriftTestData.Profile(seed: 1, rows: 2_000));
        var config = DriftTestData.Config(Settings);
        await _monitor.OnInferredAsync(DriftTestData.Observation(new Random(7), 300, shift: 2.0, config: config), TestContext.Current.CancellationToken);

        var signals = await _monitor.ReadSignalsAsync(TestContext.Current.CancellationToken);

        Assert.All(signals, s => Assert.Equal(("drift", "synthetic", "1"), (s.Kind, s.Model, s.Version)));
        var byName = signals.ToDictionary(s => s.Name, s => s.Value);
        Assert.Equal(300, byName["live_rows"]);
        Assert.Equal(1, byName["detected"]);
        Assert.Equal(1, byName["prediction_detected"]);
        Assert.True(byName["x[1].psi"] > 0.2);
        Assert.True(byName["x[1].p_value"] < 1e-10);
        Assert.Contains("prediction.score.p_value", byName.Keys);
        Assert.Contains("color.psi", byName.Keys);
    }

    [Fact]
    public async Task Reports_WithinScrapeMaxAge_ReuseTheLastReport()
    {
        // Arrange
        DriftTestData.WriteProfile(_repository.Path, DriftTestData.Profile(seed: 1, rows: 1_000));
        var config = DriftTestData.Config(Settings);
        var random = new Random(8);
        await _monitor.OnInferredAsync(DriftTestData.Observation(random, 100, config: config), TestContext.Current.CancellationToken);
        var first = Assert.Single(_monitor.Reports());

        // Act
        await _monitor.OnInferredAsync(DriftTestData.Observation(random, 100, config: config), TestContext.Current.CancellationToken);
        var cached = Assert.Single(_monitor.Reports());
        _time.Advance(DriftMonitor.ScrapeMaxAge);
        var fresh = Assert.Single(_monitor.Reports());

        // Assert
        Assert.Same(first, cached);
        Assert.Equal(200, fresh.LiveRows);
        Assert.Equal(200, _monitor.GetReport(config, "1", TimeSpan.Zero)!.LiveRows);
    }

    [Fact]
    public async Task OnInferredAsync_ProfileReplaced_RestartsTheWindowAfterTheRecheck()
    {
        // Arrange
        DriftTestData.WriteProfile(_repository.Path, DriftTestData.Profile(seed: 1, rows: 1_000));
        var config = DriftTestData.Config(Settings);
        var random = new Random(9);
        await _monitor.OnInferredAsync(DriftTestData.Observation(random, 100, config: config), TestContext.Current.CancellationToken);

        // Act: a new profile (another size) is picked up once the recheck interval has passed.
        DriftTestData.WriteProfile(_repository.Path, DriftTestData.Profile(seed: 2, rows: 3_000));
        await _monitor.OnInferredAsync(DriftTestData.Observation(random, 10, config: config), TestContext.Current.CancellationToken);
        var before = _monitor.GetReport(config, "1", TimeSpan.Zero)!;
        _time.Advance(ProfileCache.Recheck);
        await _monitor.OnInferredAsync(DriftTestData.Observation(random, 10, config: config), TestContext.Current.CancellationToken);
        var after = _monitor.GetReport(config, "1", TimeSpan.Zero)!;

        // Assert
        Assert.Equal((1_000L, 110L), (before.ReferenceRows, before.LiveRows));
        Assert.Equal((3_000L, 10L), (after.ReferenceRows, after.LiveRows));
    }

    [Fact]
    public async Task OnInferredAsync_InvalidMonitoringSection_CountsASkippedRequestWithoutThrowing()
    {
        DriftTestData.WriteProfile(_repository.Path, DriftTestData.Profile(seed: 1, rows: 100));
        var config = DriftTestData.Config("""{"drift": {"window": "big"}}""");

        await _monitor.OnInferredAsync(DriftTestData.Observation(new Random(1), 5, config: config), TestContext.Current.CancellationToken);

        Assert.Equal(1, _monitor.SkippedRequests);
    }

    [Fact]
    public void GetReport_CorruptProfile_TreatedAsNoProfile()
    {
        Directory.CreateDirectory(Path.Combine(_repository.Path, DriftTestData.Model));
        File.WriteAllText(Path.Combine(_repository.Path, DriftTestData.Model, "profile.json"), "{\"format\": \"inferd-drift-profile\"");

        Assert.Null(_monitor.GetReport(DriftTestData.Config(), "1", TimeSpan.Zero));
    }

    public void Dispose() => _repository.Dispose();
}

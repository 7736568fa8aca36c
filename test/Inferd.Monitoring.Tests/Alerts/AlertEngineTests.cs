using System.Text;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Tests.PredictionLog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Inferd.Monitoring.Tests.Alerts;

public sealed class AlertEngineTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task EvaluateAsync_ValueCrossesThenReturns_OkFiringResolvedWithLogLines()
    {
        var time = new FakeTimeProvider(Start);
        var source = new FixedSignals();
        var logger = new CollectingLogger<AlertEngine>();
        await using var engine = new AlertEngine(Rules("""{"name": "spam-accuracy", "kind": "accuracy", "model": "spam", "signal": "accuracy", "below": 0.9}"""), [source], time, logger);

        source.Set(new AlertSignal("accuracy", "spam", "1", "accuracy", 0.95));
        await engine.EvaluateAsync(CancellationToken.None);
        var ok = Assert.Single(engine.States);
        time.Advance(TimeSpan.FromSeconds(30));
        source.Set(new AlertSignal("accuracy", "spam", "1", "accuracy", 0.85));
        await engine.EvaluateAsync(CancellationToken.None);
        var firing = Assert.Single(engine.States);
        time.Advance(TimeSpan.FromSeconds(30));
        source.Set(new AlertSignal("accuracy", "spam", "1", "accuracy", 0.8));
        await engine.EvaluateAsync(CancellationToken.None);
        var stillFiring = Assert.Single(engine.States);
        time.Advance(TimeSpan.FromSeconds(30));
        source.Set(new AlertSignal("accuracy", "spam", "1", "accuracy", 0.92));
        await engine.EvaluateAsync(CancellationToken.None);
        var resolved = Assert.Single(engine.States);

        Assert.Equal(("ok", 0.95, Start), (ok.State, ok.Signal.Value, ok.Since));
        Assert.Equal(("firing", 0.85, 0.9, Start.AddSeconds(30)), (firing.State, firing.Signal.Value, firing.Threshold, firing.Since));
        Assert.Equal(("firing", 0.8, Start.AddSeconds(30), Start.AddSeconds(60)), (stillFiring.State, stillFiring.Signal.Value, stillFiring.Since, stillFiring.EvaluatedAt));
        Assert.Equal(("ok", 0.92, Start.AddSeconds(90)), (resolved.State, resolved.Signal.Value, resolved.Since));
        // One line per change, none while a state holds.
        Assert.Equal(
            [
                (LogLevel.Warning, "Alert spam-accuracy FIRING: accuracy signal accuracy of spam version 1 is 0.85 (threshold 0.9)"),
                (LogLevel.Information, "Alert spam-accuracy resolved: accuracy signal accuracy of spam version 1 is 0.92 (threshold 0.9)"),
            ],
            logger.Lines);
    }

    [Fact]
    public async Task EvaluateAsync_PatternsAndVersion_MatchOnlyTheirSignals()
    {
        var source = new FixedSignals();
        source.Set(
            new AlertSignal("drift", "wages", "1", "age.psi", 0.3),
            new AlertSignal("drift", "wages", "1", "age.p_value", 0.3),
            new AlertSignal("drift", "wages", "2", "education.psi", 0.1),
            new AlertSignal("error_rate", "spam", "1", "error_rate", 0.2),
            new AlertSignal("accuracy", "spam", "1", "error_rate", 0.9));
        var rules = Rules(
            """{"name": "psi", "kind": "drift", "model": "*", "signal": "*.psi", "above": 0.2}""",
            """{"name": "errors-v1", "kind": "error_rate", "model": "*", "version": "1", "signal": "error_rate", "above": 0.05}""");
        await using var engine = new AlertEngine(rules, [source], new FakeTimeProvider(Start), new CollectingLogger<AlertEngine>());

        await engine.EvaluateAsync(CancellationToken.None);

        Assert.Equal(
            [("psi", "wages", "1", "age.psi", "firing"), ("psi", "wages", "2", "education.psi", "ok"), ("errors-v1", "spam", "1", "error_rate", "firing")],
            engine.States.Select(s => (s.Rule.Name, s.Signal.Model, s.Signal.Version, s.Signal.Name, s.State)));
    }

    [Fact]
    public async Task EvaluateAsync_SourceFails_OthersEvaluatedAndWarningLogged()
    {
        var broken = new FixedSignals { Failure = new InvalidOperationException("database is locked") };
        var working = new FixedSignals();
        working.Set(new AlertSignal("fairness", "wages", "1", "disparate_impact_ratio", 0.6));
        var logger = new CollectingLogger<AlertEngine>();
        await using var engine = new AlertEngine(Rules("""{"name": "dir", "kind": "fairness", "model": "wages", "signal": "disparate_impact_ratio", "below": 0.8}"""), [broken, working], new FakeTimeProvider(Start), logger);

        await engine.EvaluateAsync(CancellationToken.None);

        Assert.True(Assert.Single(engine.States).Firing);
        Assert.Contains(logger.Lines, l => l is { Level: LogLevel.Warning, Message: "Alert signal source FixedSignals failed; its rules keep their state this round" });
    }

    [Fact]
    public async Task Start_IntervalElapses_EvaluatesOnTheTimer()
    {
        var time = new FakeTimeProvider(Start);
        var source = new FixedSignals();
        source.Set(new AlertSignal("error_rate", "spam", "1", "error_rate", 0.5));
        await using var engine = new AlertEngine(Rules("""{"name": "errors", "kind": "error_rate", "model": "*", "signal": "error_rate", "above": 0.05}"""), [source], time, new CollectingLogger<AlertEngine>());
        engine.Start();

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(engine.LastEvaluation);
        time.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(() => engine.LastEvaluation is not null, "the timer's evaluation");

        Assert.Equal(Start.AddSeconds(30), engine.LastEvaluation);
        Assert.True(Assert.Single(engine.States).Firing);
    }

    [Fact]
    public async Task Collect_FiringAndOkRules_OneGaugePerRuleModelVersion()
    {
        var source = new FixedSignals();
        source.Set(new AlertSignal("drift", "wages", "1", "age.psi", 0.3), new AlertSignal("drift", "wages", "1", "race.psi", 0.1), new AlertSignal("drift", "spam", "1", "text.psi", 0.1));
        await using var engine = new AlertEngine(Rules("""{"name": "psi", "kind": "drift", "model": "*", "signal": "*.psi", "above": 0.2}"""), [source], new FakeTimeProvider(Start), new CollectingLogger<AlertEngine>());
        await engine.EvaluateAsync(CancellationToken.None);
        var text = new StringBuilder();

        engine.Collect(new PrometheusWriter(text));

        Assert.Contains("inferd_alert_firing{rule=\"psi\",model=\"wages\",version=\"1\"} 1\n", text.ToString());
        Assert.Contains("inferd_alert_firing{rule=\"psi\",model=\"spam\",version=\"1\"} 0\n", text.ToString());
        Assert.DoesNotContain("inferd_alert_webhook_deliveries_total", text.ToString());
    }

    internal static AlertRules Rules(params string[] rules) => AlertRules.Parse("{\"interval_secs\": 30, \"rules\": [" + string.Join(",", rules) + "]}");
}

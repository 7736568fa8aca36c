using Inferd.Monitoring.Alerts;
using Inferd.Testing;

namespace Inferd.Monitoring.Tests.Alerts;

public sealed class AlertRulesTests
{
    private const string Example = """
        {"interval_secs": 30, "webhook": {"url": "http://127.0.0.1:9000/hook", "max_attempts": 5, "timeout_ms": 5000},
         "rules": [{"name": "wages-drift", "kind": "drift", "model": "wages", "signal": "detected", "above": 0.5},
                   {"name": "spam-accuracy", "kind": "accuracy", "model": "spam", "signal": "accuracy", "below": 0.9},
                   {"name": "errors", "kind": "error_rate", "model": "*", "signal": "error_rate", "above": 0.05}]}
        """;

    [Fact]
    public void Parse_DocumentedExample_ReadsEveryField()
    {
        var rules = AlertRules.Parse(Example);

        Assert.Equal(TimeSpan.FromSeconds(30), rules.Interval);
        Assert.Equal(new WebhookSettings(new Uri("http://127.0.0.1:9000/hook"), 5, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), rules.Webhook);
        Assert.Equal(
            [
                new AlertRule("wages-drift", "drift", "wages", null, "detected", 0.5, null),
                new AlertRule("spam-accuracy", "accuracy", "spam", null, "accuracy", null, 0.9),
                new AlertRule("errors", "error_rate", "*", null, "error_rate", 0.05, null),
            ],
            rules.Rules);
    }

    [Theory]
    [InlineData("[]", "the alerts file must be a JSON object")]
    [InlineData("""{"rules": [], "interval": 3}""", "unknown field 'interval'")]
    [InlineData("""{}""", "rules is required")]
    [InlineData("""{"interval_secs": 0, "rules": []}""", "interval_secs must be a number between 1 and 86400")]
    [InlineData("""{"webhook": {"url": "ftp://x/y"}, "rules": []}""", "webhook.url 'ftp://x/y' must be an absolute http or https URL")]
    [InlineData("""{"webhook": {"max_attempts": 3}, "rules": []}""", "webhook.url is required")]
    [InlineData("""{"webhook": {"url": "http://h/", "max_attempts": 0}, "rules": []}""", "webhook.max_attempts must be a number between 1 and 20")]
    [InlineData("""{"rules": [{"name": "a", "kind": "drfit", "model": "m", "signal": "s", "above": 1}]}""", "rules[0].kind: 'drfit' is not drift, accuracy, fairness or error_rate")]
    [InlineData("""{"rules": [{"name": "a", "kind": "drift", "model": "m", "signal": "s"}]}""", "rules[0]: give above, below or both")]
    [InlineData("""{"rules": [{"kind": "drift", "model": "m", "signal": "s", "above": 1}]}""", "rules[0].name is required")]
    [InlineData("""{"rules": [{"name": "a", "kind": "drift", "signal": "s", "above": 1}]}""", "rules[0].model is required")]
    [InlineData("""{"rules": [{"name": "a", "kind": "drift", "model": "m", "above": 1}]}""", "rules[0].signal is required")]
    [InlineData("""{"rules": [{"name": "a", "kind": "drift", "model": "m", "signal": "s", "above": "1"}]}""", "rules[0].above must be a finite number")]
    [InlineData("""{"rules": [{"name": "a", "kind": "drift", "model": "m", "signal": "s", "above": 1, "below": 2}]}""", "rules[0]: above (1) is below below (2)")]
    [InlineData("""{"rules": [{"name": "a", "kind": "drift", "model": "m", "signal": "s", "above": 1}, {"name": "a", "kind": "drift", "model": "m", "signal": "t", "above": 1}]}""", "rules[1].name: 'a' is used by another rule")]
    [InlineData("""{"rules": [{"name": "a", "kind": "drift", "model": "m", "signal": "s", "above": 1, "for": 3}]}""", "rules[0]: unknown field 'for'")]
    [InlineData("""{"rules": [""", "not valid JSON")]
    public void Parse_Invalid_MessageNamesTheField(string json, string expected)
    {
        var error = Assert.Throws<AlertRulesException>(() => AlertRules.Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidAlertsFile_ServeOptionsReportIt()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "alerts.json");
        File.WriteAllText(path, """{"rules": [{"name": "a", "kind": "latency", "model": "m", "signal": "s", "above": 1}]}""");

        var problems = new MonitoringOptions { AlertsFile = path }.Validate();

        Assert.Equal($"--alerts {path}: rules[0].kind: 'latency' is not drift, accuracy, fairness or error_rate", Assert.Single(problems));
    }

    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("*.psi", "age.psi", true)]
    [InlineData("*.psi", "age.p_value", false)]
    [InlineData("error_rate*", "error_rate.backend", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("ab*ba", "aba", false)]
    [InlineData("wages", "wages", true)]
    [InlineData("wages", "wages2", false)]
    public void Glob_Patterns_MatchAsDocumented(string pattern, string text, bool expected)
    {
        Assert.Equal(expected, AlertRule.Glob(pattern, text));
    }

    [Fact]
    public void Delay_Attempts_DoubleFromTheBackoffUpToTheCap()
    {
        var settings = new WebhookSettings(new Uri("http://h/"), 20, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        Assert.Equal([1, 2, 4, 8, 16], Enumerable.Range(1, 5).Select(a => settings.Delay(a).TotalSeconds));
        Assert.Equal(WebhookSettings.MaxBackoff, settings.Delay(19));
    }
}

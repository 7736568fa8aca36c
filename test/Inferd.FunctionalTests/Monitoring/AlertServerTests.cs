using System.Net;
using System.Text.Json;
using Inferd.FunctionalTests.Cli;
using Inferd.Testing;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>Alerts through a real server: error rate from its own statistics, live accuracy from feedback, a real webhook.</summary>
public sealed class AlertServerTests
{
    [Fact]
    public async Task Alerts_FailingRequestsAndLowAccuracy_WebhookFiresAndStateListed()
    {
        await using var receiver = await AlertWebhookReceiver.StartAsync();
        var alerts = "{\"interval_secs\": 1, \"webhook\": {\"url\": \"" + receiver.Url + "\", \"backoff_ms\": 50}, \"rules\": ["
            + "{\"name\": \"errors\", \"kind\": \"error_rate\", \"model\": \"*\", \"signal\": \"error_rate\", \"above\": 0.05},"
            + "{\"name\": \"score-accuracy\", \"kind\": \"accuracy\", \"model\": \"score\", \"signal\": \"accuracy\", \"below\": 0.9},"
            + "{\"name\": \"never\", \"kind\": \"drift\", \"model\": \"score\", \"signal\": \"detected\", \"above\": 0.5}]}";
        await using var server = await EvaluationServer.StartAsync(alertsJson: alerts);

        // Three requests the facade rejects (INPUT1 missing) and one it answers: an error rate of 3/4 in some interval.
        for (var i = 0; i < 3; i++)
        {
            var bad = await RestHelpers.SendAsync(server.Server, RestHelpers.Json("/v2/models/score/infer", """{"inputs": [{"name": "INPUT0", "datatype": "FP32", "shape": [1, 1], "data": [1]}]}"""));
            Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        }

        // Accuracy 1/2 (0.7 is right, 0.2 is not), below the rule's 0.9. Reading the route refreshes the figures the
        // engine sees, instead of waiting for the monitor's 15 s timer.
        await server.InferAsync("a1", (0.7f, 0), (0.2f, 0));
        await server.FeedbackAsync("score", "a1", "[1, 1]");
        _ = await server.GetAsync("/v2/models/score/accuracy");

        var errors = await receiver.WaitForAsync(e => e.GetProperty("rule").GetString() == "errors" && e.GetProperty("state").GetString() == "firing", "errors firing");
        var accuracy = await receiver.WaitForAsync(e => e.GetProperty("rule").GetString() == "score-accuracy", "score-accuracy firing");
        var body = await server.GetAsync("/v2/alerts");
        var cli = await CliRunner.RunAsync("alerts", "--url", server.Server.Info.HttpAddress.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(cli.StdOut);

        Assert.Equal(("error_rate", "score", "1", "error_rate", 0.05), (errors.GetProperty("kind").GetString(), errors.GetProperty("model").GetString(), errors.GetProperty("version").GetString(), errors.GetProperty("signal").GetString(), errors.GetProperty("threshold").GetDouble()));
        Assert.True(errors.GetProperty("value").GetDouble() > 0.05, errors.GetRawText());
        Assert.Equal(("firing", 0.5, 0.9), (accuracy.GetProperty("state").GetString(), accuracy.GetProperty("value").GetDouble(), accuracy.GetProperty("threshold").GetDouble()));
        var rules = body.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(["errors", "score-accuracy", "never"], rules.Keys);
        var accuracyState = rules["score-accuracy"].GetProperty("alerts").EnumerateArray().Single();
        Assert.Equal(("firing", "score", "1"), (accuracyState.GetProperty("state").GetString(), accuracyState.GetProperty("model").GetString(), accuracyState.GetProperty("version").GetString()));
        Assert.Empty(rules["never"].GetProperty("alerts").EnumerateArray());
        Assert.Contains(rules["errors"].GetProperty("alerts").EnumerateArray(), a => a.GetProperty("model").GetString() == "plain");
        Assert.True(body.GetProperty("webhook").GetProperty("delivered").GetInt64() >= 2, body.GetRawText());
        Assert.Equal(0, cli.ExitCode);
        Assert.Contains("score-accuracy", cli.StdOut, StringComparison.Ordinal);
        Assert.Empty(server.Server.Errors);
    }

    [Fact]
    public async Task Serve_InvalidAlertsFile_RefusedNamingTheField()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "alerts.json");
        File.WriteAllText(path, """{"rules": [{"name": "x", "kind": "drift", "model": "m", "signal": "detected"}]}""");

        var cli = await CliRunner.RunAsync("serve", "--model-repository", folder.Path, "--alerts", path);

        Assert.Equal(2, cli.ExitCode);
        Assert.Contains($"inferd serve: --alerts {path}: rules[0]: give above, below or both", cli.StdErr, StringComparison.Ordinal);
    }
}

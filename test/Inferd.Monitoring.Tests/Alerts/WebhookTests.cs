using System.Globalization;
using System.Text;
using System.Text.Json;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Tests.PredictionLog;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Tests.Alerts;

public sealed class WebhookTests
{
    [Fact]
    public async Task EvaluateAsync_ReceiverFailsTwice_DeliveredOnTheThirdAttemptWithTheEventJson()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 500);
        var source = new FixedSignals();
        source.Set(new AlertSignal("drift", "wages", "1", "detected", 1));
        // A 10 ms backoff keeps the test short; the schedule itself (1, 2, 4, 8 s by default) is checked in AlertRulesTests.
        var rules = Rules(receiver, """, "max_attempts": 5, "timeout_ms": 10000, "backoff_ms": 10""", """{"name": "wages-drift", "kind": "drift", "model": "wages", "signal": "detected", "above": 0.5}""");
        var logger = new CollectingLogger<AlertEngine>();
        await using var engine = new AlertEngine(rules, [source], TimeProvider.System, logger);

        await engine.EvaluateAsync(CancellationToken.None);
        await Poll.UntilAsync(() => engine.States[0].LastDelivery is not null, "the webhook delivery");

        var status = engine.States[0];
        Assert.Equal((WebhookDelivery.Delivered, 3, null), (status.LastDelivery!.Result, status.LastDelivery.Attempts, status.LastDelivery.Error));
        Assert.Equal((1L, 0L, 0L), (engine.Webhook!.Delivered, engine.Webhook.Failed, engine.Webhook.Dropped));
        var requests = receiver.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal("application/json", r.ContentType));
        Assert.All(requests, r => Assert.Equal(requests[0].Body, r.Body));
        var expected = "{\"rule\":\"wages-drift\",\"kind\":\"drift\",\"model\":\"wages\",\"version\":\"1\",\"signal\":\"detected\",\"value\":1,\"threshold\":0.5,\"state\":\"firing\",\"at\":\""
            + status.Since.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture) + "\"}";
        Assert.Equal(Normalize(expected), Normalize(requests[0].Body));
        var text = new StringBuilder();
        engine.Collect(new PrometheusWriter(text));
        Assert.Contains("inferd_alert_webhook_deliveries_total{result=\"delivered\"} 1\n", text.ToString());
    }

    [Fact]
    public async Task EvaluateAsync_ReceiverAlwaysFails_GivesUpAfterMaxAttemptsAndLogs()
    {
        await using var receiver = await WebhookReceiver.StartAsync(503, 503, 503, 503);
        var source = new FixedSignals();
        source.Set(new AlertSignal("error_rate", "spam", "1", "error_rate", 0.5));
        var rules = Rules(receiver, """, "max_attempts": 2, "backoff_ms": 10""", """{"name": "errors", "kind": "error_rate", "model": "*", "signal": "error_rate", "above": 0.05}""");
        var logger = new CollectingLogger<AlertEngine>();
        await using var engine = new AlertEngine(rules, [source], TimeProvider.System, logger);

        await engine.EvaluateAsync(CancellationToken.None);
        await Poll.UntilAsync(() => engine.States[0].LastDelivery is not null, "the webhook to give up");

        Assert.Equal((WebhookDelivery.Failed, 2, "HTTP 503"), (engine.States[0].LastDelivery!.Result, engine.States[0].LastDelivery!.Attempts, engine.States[0].LastDelivery!.Error));
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(1L, engine.Webhook!.Failed);
        Assert.Contains(logger.Lines, l => l is { Level: LogLevel.Warning, Message: "Webhook for alert errors (firing) failed after 2 attempts: HTTP 503" });
    }

    [Fact]
    public async Task EvaluateAsync_FiringThenResolved_TwoEventsInOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var source = new FixedSignals();
        var rules = Rules(receiver, "", """{"name": "dir", "kind": "fairness", "model": "wages", "signal": "disparate_impact_ratio", "below": 0.8}""");
        await using var engine = new AlertEngine(rules, [source], TimeProvider.System, new CollectingLogger<AlertEngine>());

        source.Set(new AlertSignal("fairness", "wages", "1", "disparate_impact_ratio", 0.7));
        await engine.EvaluateAsync(CancellationToken.None);
        source.Set(new AlertSignal("fairness", "wages", "1", "disparate_impact_ratio", 0.9));
        await engine.EvaluateAsync(CancellationToken.None);
        await Poll.UntilAsync(() => engine.Webhook!.Delivered == 2, "both deliveries");

        var states = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("state").GetString()).ToArray();
        Assert.Equal(["firing", "resolved"], states);
    }

    private static AlertRules Rules(WebhookReceiver receiver, string webhookFields, string rule) =>
        AlertRules.Parse("{\"interval_secs\": 30, \"webhook\": {\"url\": \"" + receiver.Url + "\"" + webhookFields + "}, \"rules\": [" + rule + "]}");

    private static string Normalize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement);
    }
}

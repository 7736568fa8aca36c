using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Inferd.Cli.Commands;

/// <summary><c>inferd alerts</c>: the server's alert rules and where each stands.</summary>
internal static class AlertsCommand
{
    public static Command Create()
    {
        var url = new Option<string?>("--url", "-u") { Description = "Server address (REST), default http://127.0.0.1:8000.", HelpName = "URL" };
        var command = new Command("alerts", "Print the alert rules of a running server (started with --alerts) and their state per model version.") { url };
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            using var document = await AccuracyFairnessAlertsClient.GetAsync(parseResult.GetValue(url), "v2/alerts", cancellationToken);
            Console.Out.Write(Format(document.RootElement));
            return Cli.SuccessExitCode;
        }));
        return command;
    }

    /// <summary>A summary line, then one row per rule and matched signal (a rule that matched nothing yet shows <c>-</c>).</summary>
    public static string Format(JsonElement root)
    {
        var text = new StringBuilder();
        text.Append("every ").Append(root.GetProperty("interval_secs").GetRawText()).Append(" s, last evaluation ")
            .Append(AccuracyFairnessAlertsClient.Text(root.GetProperty("last_evaluation")));
        var webhook = root.GetProperty("webhook");
        text.AppendLine(webhook.ValueKind == JsonValueKind.Object
            ? $"; webhook {webhook.GetProperty("url").GetString()}: {webhook.GetProperty("delivered").GetRawText()} delivered, {webhook.GetProperty("failed").GetRawText()} failed, {webhook.GetProperty("dropped").GetRawText()} dropped"
            : "; no webhook");
        var rows = new List<string[]> { new[] { "RULE", "KIND", "MODEL", "VERSION", "SIGNAL", "STATE", "VALUE", "THRESHOLD", "SINCE", "LAST DELIVERY" } };
        foreach (var rule in root.GetProperty("rules").EnumerateArray())
        {
            var name = rule.GetProperty("name").GetString()!;
            var kind = rule.GetProperty("kind").GetString()!;
            var alerts = rule.GetProperty("alerts").EnumerateArray().ToArray();
            if (alerts.Length == 0)
            {
                var bounds = string.Join(" ", new[] { ("above", rule.GetProperty("above")), ("below", rule.GetProperty("below")) }
                    .Where(b => b.Item2.ValueKind == JsonValueKind.Number).Select(b => b.Item1 + " " + b.Item2.GetRawText()));
                rows.Add([name, kind, rule.GetProperty("model").GetString()!, AccuracyFairnessAlertsClient.Text(rule.GetProperty("version")), rule.GetProperty("signal").GetString()!, "-", "-", bounds, "-", "-"]);
            }

            foreach (var a in alerts)
            {
                var delivery = a.GetProperty("last_delivery");
                rows.Add([
                    name,
                    kind,
                    a.GetProperty("model").GetString()!,
                    AccuracyFairnessAlertsClient.Text(a.GetProperty("version")),
                    a.GetProperty("signal").GetString()!,
                    a.GetProperty("state").GetString()!,
                    AccuracyFairnessAlertsClient.Number(a.GetProperty("value")),
                    AccuracyFairnessAlertsClient.Number(a.GetProperty("threshold")),
                    a.GetProperty("since").GetString()!,
                    delivery.ValueKind == JsonValueKind.Object ? $"{delivery.GetProperty("result").GetString()} ({delivery.GetProperty("attempts").GetRawText()} attempts)" : "-",
                ]);
            }
        }

        return text.Append(AccuracyFairnessAlertsClient.Table(rows)).ToString();
    }
}

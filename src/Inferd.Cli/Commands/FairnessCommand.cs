using System.CommandLine;
using System.Text;
using System.Text.Json;

namespace Inferd.Cli.Commands;

/// <summary><c>inferd fairness MODEL</c>: per-group positive rates and the three group-fairness figures over logged traffic.</summary>
internal static class FairnessCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Model name." };
        var version = ModelVersionOption.Create();
        var url = new Option<string?>("--url", "-u") { Description = "Server address (REST), default http://127.0.0.1:8000.", HelpName = "URL" };
        var command = new Command("fairness", "Print a model's group fairness per version (needs --prediction-log on the server and monitoring.task and monitoring.fairness in the model's config).")
        {
            model, version, url,
        };
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var name = parseResult.GetValue(model)!;
            using var document = await AccuracyFairnessAlertsClient.GetAsync(parseResult.GetValue(url), AccuracyFairnessAlertsClient.ModelPath(name, parseResult.GetValue(version)) + "/fairness", cancellationToken);
            Console.Out.Write(Format(document.RootElement));
            return Cli.SuccessExitCode;
        }));
        return command;
    }

    /// <summary>Per version: a header, the group table, then the figures.</summary>
    public static string Format(JsonElement root)
    {
        var text = new StringBuilder();
        var privileged = root.GetProperty("privileged");
        text.Append(root.GetProperty("model").GetString()).Append(": attribute ").Append(root.GetProperty("attribute").GetString())
            .Append(privileged.ValueKind == JsonValueKind.String ? $" (privileged {privileged.GetString()})" : "")
            .Append(", positive: ").Append(root.GetProperty("positive").GetString())
            .Append(", newest ").Append(root.GetProperty("window").GetRawText()).AppendLine(" records per version");
        var versions = root.GetProperty("versions").EnumerateArray().ToArray();
        if (versions.Length == 0)
        {
            text.AppendLine("no ready version");
        }

        foreach (var v in versions)
        {
            text.AppendLine()
                .Append("version ").Append(v.GetProperty("version").GetString()).Append(": ")
                .Append(v.GetProperty("rows").GetRawText()).Append(" rows (").Append(v.GetProperty("rows_with_truth").GetRawText()).Append(" with truth) from ")
                .Append(v.GetProperty("records").GetRawText()).Append(" records, ").Append(v.GetProperty("skipped").GetRawText()).AppendLine(" skipped");
            var rows = new List<string[]> { new[] { "GROUP", "ROWS", "PREDICTED+", "POSITIVE RATE", "WITH TRUTH", "ACTUAL+", "TRUE+", "TRUE POSITIVE RATE" } };
            foreach (var g in v.GetProperty("groups").EnumerateArray())
            {
                rows.Add([
                    g.GetProperty("group").GetString()!,
                    g.GetProperty("rows").GetRawText(),
                    g.GetProperty("predicted_positive").GetRawText(),
                    AccuracyFairnessAlertsClient.Number(g.GetProperty("positive_rate")),
                    g.GetProperty("with_truth").GetRawText(),
                    g.GetProperty("actual_positive").GetRawText(),
                    g.GetProperty("true_positive").GetRawText(),
                    AccuracyFairnessAlertsClient.Number(g.GetProperty("true_positive_rate")),
                ]);
            }

            text.Append(AccuracyFairnessAlertsClient.Table(rows));
            var reference = v.GetProperty("reference_group");
            text.Append("demographic parity difference  ").AppendLine(AccuracyFairnessAlertsClient.Number(v.GetProperty("demographic_parity_difference")))
                .Append("disparate impact ratio         ").Append(AccuracyFairnessAlertsClient.Number(v.GetProperty("disparate_impact_ratio")))
                .AppendLine(reference.ValueKind == JsonValueKind.String ? $" (reference group {reference.GetString()})" : "")
                .Append("equal opportunity difference   ").AppendLine(AccuracyFairnessAlertsClient.Number(v.GetProperty("equal_opportunity_difference")));
        }

        return text.ToString();
    }
}

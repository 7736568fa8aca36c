using System.CommandLine;
using System.Text.Json;

namespace Inferd.Cli.Commands;

/// <summary><c>inferd accuracy MODEL</c>: the live accuracy of a model's versions, from logged predictions with feedback.</summary>
internal static class AccuracyCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Model name." };
        var version = ModelVersionOption.Create();
        var url = new Option<string?>("--url", "-u") { Description = "Server address (REST), default http://127.0.0.1:8000.", HelpName = "URL" };
        var command = new Command("accuracy", "Print a model's live accuracy per version (needs --prediction-log on the server, monitoring.task in the model's config, and feedback).")
        {
            model, version, url,
        };
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var name = parseResult.GetValue(model)!;
            using var document = await AccuracyFairnessAlertsClient.GetAsync(parseResult.GetValue(url), AccuracyFairnessAlertsClient.ModelPath(name, parseResult.GetValue(version)) + "/accuracy", cancellationToken);
            Console.Out.Write(Format(document.RootElement));
            return Cli.SuccessExitCode;
        }));
        return command;
    }

    /// <summary>A header line, then one row per version with every metric any version has.</summary>
    public static string Format(JsonElement root)
    {
        var versions = root.GetProperty("versions").EnumerateArray().ToArray();
        var metrics = versions.SelectMany(v => v.GetProperty("metrics").EnumerateObject().Select(m => m.Name)).Distinct().ToArray();
        var rows = new List<string[]>();
        rows.Add(["VERSION", "RECORDS", "ROWS", "SKIPPED", .. metrics.Select(m => m.ToUpperInvariant())]);
        foreach (var v in versions)
        {
            var values = v.GetProperty("metrics");
            rows.Add([
                v.GetProperty("version").GetString()!,
                AccuracyFairnessAlertsClient.Text(v.GetProperty("records")),
                AccuracyFairnessAlertsClient.Text(v.GetProperty("rows")),
                AccuracyFairnessAlertsClient.Text(v.GetProperty("skipped")),
                .. metrics.Select(m => values.TryGetProperty(m, out var x) ? AccuracyFairnessAlertsClient.Number(x) : "-"),
            ]);
        }

        var header = $"{root.GetProperty("model").GetString()}: {root.GetProperty("task").GetString()} task on output {root.GetProperty("output").GetString()}, newest {root.GetProperty("window").GetRawText()} records with feedback per version\n";
        return header + (versions.Length == 0 ? "no ready version\n" : AccuracyFairnessAlertsClient.Table(rows));
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Inferd.Zoo.Training;

/// <summary>Writes the files every trained model has: config.json, card.md (metrics in front matter) and heldout.jsonl.</summary>
internal static class ModelFiles
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>
    /// Writes config.json with the pipeline section and, when given, the monitoring (docs/monitoring.md) and explain
    /// (docs/explain.md) sections.
    /// </summary>
    public static void WriteConfig(string modelDirectory, string name, JsonObject pipeline, JsonObject? monitoring = null, JsonObject? explain = null)
    {
        var config = new JsonObject { ["name"] = name, ["max_batch_size"] = 64, ["pipeline"] = pipeline };
        if (monitoring is not null)
        {
            config["monitoring"] = monitoring;
        }

        if (explain is not null)
        {
            config["explain"] = explain;
        }

        ZooContext.WriteAtomically(Path.Combine(modelDirectory, "config.json"), config.ToJsonString(Indented) + "\n");
    }

    /// <summary>Writes heldout.jsonl, one compact JSON object per line.</summary>
    public static void WriteHeldout(string modelDirectory, IEnumerable<JsonObject> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line.ToJsonString()).Append('\n');
        }

        ZooContext.WriteAtomically(Path.Combine(modelDirectory, "heldout.jsonl"), text.ToString());
    }

    /// <summary>Writes card.md: front matter with the metrics (4 decimals), the title, then the body.</summary>
    public static void WriteCard(string modelDirectory, string name, IReadOnlyList<(string Name, double Value)> metrics, string body)
    {
        var text = new StringBuilder("---\nmetrics:\n");
        foreach (var (metric, value) in metrics)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {metric}: {Format(value)}\n");
        }

        text.Append("---\n# ").Append(name).Append("\n\n").Append(body.Trim()).Append('\n');
        ZooContext.WriteAtomically(Path.Combine(modelDirectory, "card.md"), text.ToString());
    }

    /// <summary>Reads the metrics of a card's front matter (empty when the card is missing or has none).</summary>
    public static IReadOnlyList<(string Name, double Value)> ReadMetrics(string card)
    {
        if (!File.Exists(card))
        {
            return [];
        }

        var result = new List<(string, double)>();
        var lines = File.ReadAllLines(card);
        if (lines.Length == 0 || lines[0] != "---")
        {
            return result;
        }

        var inMetrics = false;
        foreach (var line in lines.Skip(1).TakeWhile(l => l != "---"))
        {
            if (!line.StartsWith(' '))
            {
                inMetrics = line.TrimEnd() == "metrics:";
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (inMetrics && colon > 0 && double.TryParse(line[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                result.Add((line[..colon].Trim(), value));
            }
        }

        return result;
    }

    /// <summary>A metric with 4 decimals.</summary>
    public static string Format(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>The metrics as one line, e.g. <c>accuracy 0.9712, auc 0.9934</c>.</summary>
    public static string Summary(IReadOnlyList<(string Name, double Value)> metrics) =>
        string.Join(", ", metrics.Select(m => $"{m.Name} {Format(m.Value)}"));

    /// <summary>A curl example for the card.</summary>
    public static string Curl(string model, JsonObject instance) =>
        $"""
        ```
        curl -s localhost:8000/v1/models/{model}:predict -H 'content-type: application/json' \
          -d '{new JsonObject { ["instances"] = new JsonArray(instance.DeepClone()) }.ToJsonString().Replace("'", "'\\''", StringComparison.Ordinal)}'
        ```
        """;
}

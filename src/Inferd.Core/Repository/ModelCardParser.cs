using System.Globalization;

namespace Inferd.Core.Repository;

/// <summary>
/// Reads the metrics of a model card's front matter: a block between two <c>---</c> lines at the very top, in which
/// indented <c>name: number</c> lines under <c>metrics:</c> are metrics. Everything else in the front matter is
/// ignored, and so is a metric whose value is not a finite number: a card is documentation, and a typo in it must
/// not make the card unreadable.
/// </summary>
internal static class ModelCardParser
{
    private const string Fence = "---";

    /// <summary>The metrics of <paramref name="markdown"/>; empty without front matter.</summary>
    public static IReadOnlyDictionary<string, double> ParseMetrics(string markdown)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        using var reader = new StringReader(markdown);
        var first = reader.ReadLine();
        if (first is null || !IsFence(first.TrimStart('\uFEFF')))
        {
            return metrics;
        }

        var inMetrics = false;
        var closed = false;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (IsFence(line))
            {
                closed = true;
                break;
            }

            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var indented = char.IsWhiteSpace(line[0]);
            if (!indented)
            {
                inMetrics = line.TrimEnd() == "metrics:";
                continue;
            }

            if (inMetrics && TryParseMetric(line, out var name, out var value))
            {
                metrics[name] = value;
            }
        }

        // Without a closing fence the top of the file was not front matter after all.
        return closed ? metrics : new Dictionary<string, double>();
    }

    private static bool IsFence(string line) => line.TrimEnd() == Fence;

    private static bool TryParseMetric(string line, out string name, out double value)
    {
        name = "";
        value = 0;
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        name = line[..colon].Trim();
        var text = line[(colon + 1)..].Trim();
        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        if (comment >= 0)
        {
            text = text[..comment].TrimEnd();
        }

        return name.Length > 0
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }
}

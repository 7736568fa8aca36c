using System.Globalization;
using System.Text;

namespace Inferd.Testing.Server;

/// <summary>
/// A parsed Prometheus text page (format 0.0.4): the samples and each family's <c># TYPE</c>. Strict enough to catch a
/// malformed line: anything that is not a comment, a blank line or <c>name{labels} value</c> throws.
/// </summary>
public sealed class PrometheusPage
{
    private PrometheusPage(IReadOnlyList<PrometheusSample> samples, IReadOnlyDictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    /// <summary>Every sample, in page order.</summary>
    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Family name → type (counter, gauge, histogram, ...).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    public static PrometheusPage Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                if (parts.Length != 4 || !types.TryAdd(parts[2], parts[3]))
                {
                    throw new FormatException("bad or repeated TYPE line: " + line);
                }

                continue;
            }

            samples.Add(ParseSample(line));
        }

        return new PrometheusPage(samples, types);
    }

    /// <summary>Samples named <paramref name="name"/> whose labels include every given pair.</summary>
    public IReadOnlyList<PrometheusSample> Find(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToArray();

    /// <summary>The value of the one sample that matches; throws when none or several do.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var found = Find(name, labels);
        return found.Count == 1
            ? found[0].Value
            : throw new InvalidOperationException($"{found.Count} samples match {name}{{{string.Join(",", labels.Select(l => $"{l.Name}=\"{l.Value}\""))}}}");
    }

    /// <summary>A histogram's buckets (bound, cumulative count) in page order, its sum and its count.</summary>
    public (IReadOnlyList<(double Le, double Count)> Buckets, double Sum, double Count) Histogram(string name, params (string Name, string Value)[] labels)
    {
        var buckets = Find(name + "_bucket", labels)
            .Select(s => (s.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(s.Labels["le"], CultureInfo.InvariantCulture), s.Value))
            .ToArray();
        return (buckets, Value(name + "_sum", labels), Value(name + "_count", labels));
    }

    private static PrometheusSample ParseSample(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.LastIndexOf(' ');
        if (space <= 0)
        {
            throw new FormatException("no value: " + line);
        }

        string name;
        if (brace < 0 || brace > space)
        {
            name = line[..space];
        }
        else
        {
            name = line[..brace];
            var i = brace + 1;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var key = line[i..eq];
                if (line[eq + 1] != '"')
                {
                    throw new FormatException("unquoted label value: " + line);
                }

                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch { 'n' => '\n', var c => c });
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                labels.Add(key, value.ToString());
                i = line[j + 1] == ',' ? j + 2 : j + 1;
            }

            if (i + 1 != space)
            {
                throw new FormatException("text after the labels: " + line);
            }
        }

        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or ':')))
        {
            throw new FormatException("bad metric name: " + line);
        }

        var text = line[(space + 1)..];
        var number = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(name, labels, number);
    }
}

/// <summary>One sample line.</summary>
/// <param name="Name">Metric name (with <c>_bucket</c>, <c>_sum</c> or <c>_count</c> for histogram parts).</param>
/// <param name="Labels">Label name → unescaped value.</param>
/// <param name="Value">The value.</param>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

using System.Globalization;
using System.Text;

namespace Inferd.Core.Telemetry;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): <c># HELP</c> and <c># TYPE</c> once per family,
/// then samples with escaped label values. Families may be announced by several sources; the header is written once.
/// </summary>
public sealed class PrometheusWriter
{
    private readonly StringBuilder _text;
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);

    /// <summary>Writes into <paramref name="text"/>.</summary>
    public PrometheusWriter(StringBuilder text) => _text = text ?? throw new ArgumentNullException(nameof(text));

    /// <summary>Announces a family (<paramref name="type"/> is counter, gauge, histogram or untyped) once.</summary>
    public void Family(string name, string type, string help)
    {
        if (!_announced.Add(name))
        {
            return;
        }

        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>Writes one sample.</summary>
    public void Sample(string name, double value, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        _text.Append(name);
        AppendLabels(labels, null);
        _text.Append(' ').Append(Format(value)).Append('\n');
    }

    /// <summary>Writes a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> samples (the family must be announced as histogram).</summary>
    public void Histogram(string name, HistogramSnapshot histogram, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        for (var i = 0; i < histogram.CumulativeCounts.Count; i++)
        {
            var le = i < histogram.Bounds.Count ? Format(histogram.Bounds[i]) : "+Inf";
            _text.Append(name).Append("_bucket");
            AppendLabels(labels, le);
            _text.Append(' ').Append(histogram.CumulativeCounts[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        _text.Append(name).Append("_sum");
        AppendLabels(labels, null);
        _text.Append(' ').Append(Format(histogram.Sum)).Append('\n');
        _text.Append(name).Append("_count");
        AppendLabels(labels, null);
        _text.Append(' ').Append(histogram.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Formats a value as Prometheus expects (NaN, +Inf, -Inf, shortest round-trip otherwise).</summary>
    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private void AppendLabels(ReadOnlySpan<(string Name, string Value)> labels, string? le)
    {
        if (labels.Length == 0 && le is null)
        {
            return;
        }

        _text.Append('{');
        var first = true;
        foreach (var (key, value) in labels)
        {
            if (!first)
            {
                _text.Append(',');
            }

            first = false;
            _text.Append(key).Append("=\"");
            AppendEscaped(value);
            _text.Append('"');
        }

        if (le is not null)
        {
            _text.Append(first ? "" : ",").Append("le=\"").Append(le).Append('"');
        }

        _text.Append('}');
    }

    private void AppendEscaped(string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => _text.Append("\\\\"),
                '"' => _text.Append("\\\""),
                '\n' => _text.Append("\\n"),
                _ => _text.Append(c),
            };
        }
    }
}

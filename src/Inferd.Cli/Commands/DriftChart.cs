using System.Globalization;
using Inferd.Monitoring.Drift;
using SkiaSharp;

namespace Inferd.Cli.Commands;

/// <summary>
/// The PNG of <c>inferd drift --png</c>: one panel per feature (inputs, then predictions), reference and live bin
/// fractions side by side: deciles of the reference for numbers, categories for the rest. Flagged panels have a red
/// frame and say DRIFT.
/// </summary>
internal static class DriftChart
{
    public const int PanelWidth = 280;
    public const int PanelHeight = 180;
    public const int HeaderHeight = 44;
    public const int MaxColumns = 4;

    /// <summary>Categories drawn per panel; the rest are summed into one bar.</summary>
    private const int MaxBars = 12;

    private static readonly SKColor ReferenceColor = new(0x8c, 0x9e, 0xb5);
    private static readonly SKColor LiveColor = new(0xf2, 0x8e, 0x2b);
    private static readonly SKColor FlagColor = new(0xd6, 0x27, 0x28);

    /// <summary>The image size for <paramref name="panels"/> features.</summary>
    public static (int Width, int Height) Size(int panels)
    {
        var columns = Math.Clamp(panels, 1, MaxColumns);
        var rows = Math.Max(1, (panels + columns - 1) / columns);
        return (columns * PanelWidth, HeaderHeight + (rows * PanelHeight));
    }

    /// <summary>Draws the chart of <paramref name="report"/> and writes it to <paramref name="path"/>.</summary>
    public static void Write(DriftReport report, string path)
    {
        var panels = report.Inputs.Select(f => (Feature: f, Prediction: false)).Concat(report.Outputs.Select(f => (Feature: f, Prediction: true))).ToArray();
        var (width, height) = Size(panels.Length);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = LoadTypeface();
        using var title = new SKFont(typeface, 15);
        using var small = new SKFont(typeface, 11);
        using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        DrawHeader(canvas, report, title, small, ink);
        for (var i = 0; i < panels.Length; i++)
        {
            var left = (i % MaxColumns) * PanelWidth;
            var top = HeaderHeight + ((i / MaxColumns) * PanelHeight);
            DrawPanel(canvas, new SKRect(left, top, left + PanelWidth, top + PanelHeight), panels[i].Feature, panels[i].Prediction, small, ink);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        Directory.CreateDirectory(directory!);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    private static void DrawHeader(SKCanvas canvas, DriftReport report, SKFont title, SKFont small, SKPaint ink)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{report.Model} v{report.Version}: {report.LiveRows:N0} live rows vs {report.ReferenceRows:N0} reference rows");
        canvas.DrawText(text, 10, 20, SKTextAlign.Left, title, ink);
        var x = 10f;
        foreach (var (label, color) in new[] { ("reference", ReferenceColor), ("live", LiveColor), ("flagged", FlagColor) })
        {
            using var swatch = new SKPaint { Color = color };
            canvas.DrawRect(new SKRect(x, 29, x + 10, 39), swatch);
            canvas.DrawText(label, x + 14, 38, SKTextAlign.Left, small, ink);
            x += 90;
        }
    }

    private static void DrawPanel(SKCanvas canvas, SKRect area, FeatureDrift feature, bool prediction, SKFont font, SKPaint ink)
    {
        var frame = new SKRect(area.Left + 4, area.Top + 4, area.Right - 4, area.Bottom - 4);
        using (var border = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = feature.Flagged ? 3 : 1, Color = feature.Flagged ? FlagColor : new SKColor(0xcc, 0xcc, 0xcc), IsAntialias = true })
        {
            canvas.DrawRect(frame, border);
        }

        var inv = CultureInfo.InvariantCulture;
        canvas.DrawText(Clip((prediction ? "prediction " : "") + feature.Name, 30), frame.Left + 6, frame.Top + 15, SKTextAlign.Left, font, ink);
        var figures = string.Create(inv, $"{feature.Test} {(double.IsFinite(feature.PValue) ? "p " + feature.PValue.ToString("G2", inv) : "no data")}, PSI {(double.IsFinite(feature.Psi) ? feature.Psi.ToString("0.000", inv) : "-")}");
        canvas.DrawText(figures, frame.Left + 6, frame.Top + 29, SKTextAlign.Left, font, ink);
        if (feature.Flagged)
        {
            using var red = new SKPaint { Color = FlagColor, IsAntialias = true };
            canvas.DrawText("DRIFT", frame.Right - 6, frame.Top + 15, SKTextAlign.Right, font, red);
        }

        var (labels, reference, live) = Bars(feature);
        var plot = new SKRect(frame.Left + 8, frame.Top + 38, frame.Right - 8, frame.Bottom - 18);
        var top = Math.Max(1e-9, Math.Max(reference.DefaultIfEmpty().Max(), live.DefaultIfEmpty().Max()));
        var slot = plot.Width / Math.Max(1, labels.Length);
        using var referencePaint = new SKPaint { Color = ReferenceColor };
        using var livePaint = new SKPaint { Color = LiveColor };
        for (var i = 0; i < labels.Length; i++)
        {
            var x = plot.Left + (i * slot);
            var bar = Math.Max(1, (slot * 0.4f) - 1);
            canvas.DrawRect(new SKRect(x + 1, plot.Bottom - (float)(reference[i] / top * plot.Height), x + 1 + bar, plot.Bottom), referencePaint);
            canvas.DrawRect(new SKRect(x + 1 + bar, plot.Bottom - (float)(live[i] / top * plot.Height), x + 1 + (2 * bar), plot.Bottom), livePaint);
        }

        if (labels.Length is > 0 and <= 6)
        {
            // Few bins (most categorical features): every label under its bars.
            for (var i = 0; i < labels.Length; i++)
            {
                canvas.DrawText(Clip(labels[i], (int)(slot / 7)), plot.Left + ((i + 0.5f) * slot), frame.Bottom - 5, SKTextAlign.Center, font, ink);
            }
        }
        else if (labels.Length > 6)
        {
            canvas.DrawText(Clip(labels[0], 18), plot.Left, frame.Bottom - 5, SKTextAlign.Left, font, ink);
            canvas.DrawText(Clip(labels[^1], 18), plot.Right, frame.Bottom - 5, SKTextAlign.Right, font, ink);
        }
    }

    // Numeric features keep their bins; categories beyond the first MaxBars - 1 are summed into one bar.
    private static (string[] Labels, double[] Reference, double[] Live) Bars(FeatureDrift feature)
    {
        var labels = feature.BinLabels.ToArray();
        var reference = feature.ReferenceFractions.ToArray();
        var live = feature.LiveFractions.Count == reference.Length ? feature.LiveFractions.ToArray() : new double[reference.Length];
        if (feature.Kind == FeatureKind.Categorical && labels.Length > 1 && reference[^1] == 0 && live[^1] == 0)
        {
            // No value outside the named categories on either side: leave the empty __other__ bar out.
            (labels, reference, live) = (labels[..^1], reference[..^1], live[..^1]);
        }

        if (feature.Kind == FeatureKind.Numeric || labels.Length <= MaxBars)
        {
            return (labels, reference, live);
        }

        var kept = MaxBars - 1;
        return (
            [.. labels[..kept], "rest"],
            [.. reference[..kept], reference[kept..].Sum()],
            [.. live[..kept], live[kept..].Sum()]);
    }

    /// <summary>A TrueType face from the machine's fonts (DejaVu Sans first), or SkiaSharp's default; shared with <see cref="ExplainChart"/>.</summary>
    internal static SKTypeface LoadTypeface()
    {
        // The NoDependencies build of SkiaSharp has no font manager: load a TrueType file when the machine has one.
        const string fonts = "/usr/share/fonts";
        if (Directory.Exists(fonts))
        {
            var file = Directory.EnumerateFiles(fonts, "*.ttf", SearchOption.AllDirectories)
                .Where(f => !f.Contains("Math", StringComparison.Ordinal))
                .OrderBy(f => Path.GetFileName(f) == "DejaVuSans.ttf" ? 0 : 1)
                .ThenBy(f => f, StringComparer.Ordinal)
                .FirstOrDefault();
            if (file is not null && SKTypeface.FromFile(file) is { } typeface)
            {
                return typeface;
            }
        }

        return SKTypeface.CreateDefault();
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}

using System.Globalization;
using SkiaSharp;

namespace Inferd.Cli.Commands;

/// <summary>
/// The PNG of <c>inferd explain --png</c>: the top features by |attribution| as horizontal bars from a zero line,
/// largest first; positive attributions (raising the explained number) red to the right, negative blue to the left;
/// each labelled <c>name=value</c> with its attribution at the bar's end.
/// </summary>
internal static class ExplainChart
{
    public const int Width = 900;
    public const int HeaderHeight = 56;
    public const int RowHeight = 26;
    public const int FooterHeight = 16;

    /// <summary>Width of the label column on the left.</summary>
    private const int LabelWidth = 260;

    /// <summary>Room kept on each side of the bars for their numbers.</summary>
    private const int NumberRoom = 80;

    /// <summary>The colours of SHAP's plots, which readers of attributions already know.</summary>
    public static readonly SKColor PositiveColor = new(0xff, 0x00, 0x51);

    /// <summary>Negative attributions.</summary>
    public static readonly SKColor NegativeColor = new(0x00, 0x8b, 0xfb);

    /// <summary>The image size for <paramref name="bars"/> bars.</summary>
    public static (int Width, int Height) Size(int bars) => (Width, HeaderHeight + (Math.Max(1, bars) * RowHeight) + FooterHeight);

    /// <summary>Draws the top <paramref name="top"/> features of <paramref name="report"/> and writes the PNG to <paramref name="path"/>.</summary>
    public static void Write(ExplainReport report, int top, string path)
    {
        var png = Render(report, top);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        Directory.CreateDirectory(directory!);
        File.WriteAllBytes(path, png);
    }

    /// <summary>The PNG bytes of the chart.</summary>
    public static byte[] Render(ExplainReport report, int top)
    {
        ArgumentNullException.ThrowIfNull(report);
        var features = report.Top(top);
        var (width, height) = Size(features.Count);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = DriftChart.LoadTypeface();
        using var title = new SKFont(typeface, 15);
        using var small = new SKFont(typeface, 12);
        using var ink = new SKPaint { Color = new SKColor(0x22, 0x22, 0x22), IsAntialias = true };
        var inv = CultureInfo.InvariantCulture;
        canvas.DrawText(Clip($"{report.Model} v{report.Version}: {report.Method}, output {report.Output}[{report.Target}]", 100), 10, 20, SKTextAlign.Left, title, ink);
        canvas.DrawText(Clip(Summary(report), 130), 10, 40, SKTextAlign.Left, small, ink);

        // Bars share one scale; the zero line sits where the largest negative and positive bars both fit.
        var maxPositive = features.Select(f => f.Attribution).Where(double.IsFinite).DefaultIfEmpty().Max();
        var maxNegative = -features.Select(f => f.Attribution).Where(double.IsFinite).DefaultIfEmpty().Min();
        maxPositive = Math.Max(0, maxPositive);
        maxNegative = Math.Max(0, maxNegative);
        var plotLeft = LabelWidth + NumberRoom;
        var plotRight = width - NumberRoom;
        var span = Math.Max(1e-300, maxPositive + maxNegative);
        var zero = plotLeft + (float)(maxNegative / span * (plotRight - plotLeft));
        var scale = (plotRight - plotLeft) / span;
        using var positive = new SKPaint { Color = PositiveColor };
        using var negative = new SKPaint { Color = NegativeColor };
        for (var i = 0; i < features.Count; i++)
        {
            var f = features[i];
            var y = HeaderHeight + (i * RowHeight);
            canvas.DrawText(Clip($"{f.Name}={f.Value}", 38), LabelWidth - 8, y + 17, SKTextAlign.Right, small, ink);
            var a = double.IsFinite(f.Attribution) ? f.Attribution : 0;
            var length = (float)(Math.Abs(a) * scale);
            var bar = a >= 0 ? new SKRect(zero, y + 4, zero + Math.Max(1, length), y + RowHeight - 4) : new SKRect(zero - Math.Max(1, length), y + 4, zero, y + RowHeight - 4);
            canvas.DrawRect(bar, a >= 0 ? positive : negative);
            var number = f.Attribution.ToString("G4", inv) + (f.Error is { } e ? " ±" + e.ToString("G2", inv) : "");
            canvas.DrawText(number, a >= 0 ? bar.Right + 4 : bar.Left - 4, y + 17, a >= 0 ? SKTextAlign.Left : SKTextAlign.Right, small, ink);
        }

        using (var axis = new SKPaint { Color = new SKColor(0x88, 0x88, 0x88), StrokeWidth = 1 })
        {
            canvas.DrawLine(zero, HeaderHeight - 2, zero, HeaderHeight + (Math.Max(1, features.Count) * RowHeight) + 2, axis);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static string Summary(ExplainReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        if (r.Prediction is { } p)
        {
            parts.Add("prediction " + p.ToString("G6", inv));
        }

        if (r.BaseValue is { } b)
        {
            parts.Add("base value " + b.ToString("G6", inv));
        }

        if (r.Intercept is { } i)
        {
            parts.Add("intercept " + i.ToString("G6", inv));
        }

        if (r.R2 is { } r2)
        {
            parts.Add("R² " + r2.ToString("0.0000", inv));
        }

        parts.Add(string.Create(inv, $"{r.Evaluations:N0} evaluations"));
        return string.Join(", ", parts);
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");
}

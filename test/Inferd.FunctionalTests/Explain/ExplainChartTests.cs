using Inferd.Cli.Commands;
using SkiaSharp;

namespace Inferd.FunctionalTests.Explain;

/// <summary><c>inferd explain</c>'s table and PNG bar chart, from a fixed explanation (no server).</summary>
public sealed class ExplainChartTests
{
    private static readonly ExplainReport Report = new()
    {
        Model = "loans",
        Version = "3",
        Method = "lime_tabular",
        Output = "risk",
        Target = 0,
        Prediction = 0.75,
        Intercept = 0.25,
        R2 = 0.99876,
        Samples = 1000,
        Background = "file background.jsonl (100 rows)",
        Features =
        [
            new("income", "60", 0.3) { Weight = 0.03 },
            new("age", "30", -0.5) { Weight = -0.05 },
            new("region", "south", 0.1) { Weight = 0.1 },
            new("debt", "2", 0.01) { Weight = 0.005 },
        ],
        Evaluations = 1001,
        Calls = 5,
        DurationMs = 12.5,
    };

    [Fact]
    public void Render_FixedExplanation_DecodesAtItsSizeWithBothColours()
    {
        // Act
        var png = ExplainChart.Render(Report, top: 3);

        // Assert: three bars (the top 3 by |attribution|), red for the positive ones and blue for the negative one.
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(ExplainChart.Size(3), (bitmap.Width, bitmap.Height));
        Assert.Equal((900, 56 + (3 * 26) + 16), (bitmap.Width, bitmap.Height));
        var pixels = bitmap.Pixels;
        Assert.Contains(ExplainChart.PositiveColor, pixels);
        Assert.Contains(ExplainChart.NegativeColor, pixels);
        Assert.True(pixels.Count(p => p != SKColors.White) > 2_000, "the chart is nearly blank");
    }

    [Fact]
    public void Render_LargestBarIsTheLargestAttribution()
    {
        // Act
        using var bitmap = SKBitmap.Decode(ExplainChart.Render(Report, top: 10));

        // Assert: row 0 is age (−0.5, blue) and is longer than row 1, income (+0.3, red).
        var firstRow = ExplainChart.HeaderHeight + (ExplainChart.RowHeight / 2);
        var secondRow = firstRow + ExplainChart.RowHeight;
        var blue = Enumerable.Range(0, bitmap.Width).Count(x => bitmap.GetPixel(x, firstRow) == ExplainChart.NegativeColor);
        var red = Enumerable.Range(0, bitmap.Width).Count(x => bitmap.GetPixel(x, secondRow) == ExplainChart.PositiveColor);
        Assert.True(blue > red && red > 0, $"blue {blue} px, red {red} px");
    }

    [Fact]
    public void Format_FixedExplanation_PrintsTheFiguresAndTheTopFeaturesByMagnitude()
    {
        // Act
        var text = ExplainCommand.Format(Report, top: 2);

        // Assert
        Assert.Contains("explanation of loans version 3", text, StringComparison.Ordinal);
        Assert.Contains("lime_tabular", text, StringComparison.Ordinal);
        Assert.Contains("intercept    0.25  (R² 0.9988)", text, StringComparison.Ordinal);
        Assert.Contains("1,001 in 5 calls", text, StringComparison.Ordinal);
        Assert.Contains("top 2 of 4 features by |attribution|:", text, StringComparison.Ordinal);
        var lines = text.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("FEATURE", StringComparison.Ordinal));
        Assert.StartsWith("age ", lines[header + 1], StringComparison.Ordinal);
        Assert.Contains("-0.5", lines[header + 1], StringComparison.Ordinal);
        Assert.StartsWith("income ", lines[header + 2], StringComparison.Ordinal);
        Assert.DoesNotContain("region", text, StringComparison.Ordinal);
    }
}

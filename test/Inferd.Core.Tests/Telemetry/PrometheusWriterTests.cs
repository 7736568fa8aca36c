using System.Text;
using Inferd.Core.Telemetry;
using Inferd.Testing.Server;

namespace Inferd.Core.Tests.Telemetry;

public sealed class PrometheusWriterTests
{
    [Fact]
    public void Family_AnnouncedTwice_HelpAndTypeWrittenOnce()
    {
        var text = new StringBuilder();
        var writer = new PrometheusWriter(text);

        writer.Family("x_total", "counter", "Things.");
        writer.Sample("x_total", 1, ("a", "1"));
        writer.Family("x_total", "counter", "Things.");
        writer.Sample("x_total", 2, ("a", "2"));

        Assert.Equal("# HELP x_total Things.\n# TYPE x_total counter\nx_total{a=\"1\"} 1\nx_total{a=\"2\"} 2\n", text.ToString());
    }

    [Fact]
    public void Sample_LabelValueWithQuoteBackslashAndNewline_EscapedAndParsedBack()
    {
        var text = new StringBuilder();
        var writer = new PrometheusWriter(text);
        const string Tricky = "a\"b\\c\nd";

        writer.Family("m", "gauge", "Help with a \\ and a\nnewline.");
        writer.Sample("m", 3.5, ("model", Tricky), ("version", "1"));

        Assert.Contains("m{model=\"a\\\"b\\\\c\\nd\",version=\"1\"} 3.5\n", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("# HELP m Help with a \\\\ and a\\nnewline.\n", text.ToString(), StringComparison.Ordinal);
        var page = PrometheusPage.Parse(text.ToString());
        Assert.Equal(3.5, page.Value("m", ("model", Tricky)));
    }

    [Fact]
    public void Histogram_Snapshot_BucketsCumulativeWithLeLastThenSumAndCount()
    {
        var histogram = new Histogram([0.1, 1]);
        histogram.Observe(0.05);
        histogram.Observe(0.5);
        histogram.Observe(5);
        var text = new StringBuilder();
        var writer = new PrometheusWriter(text);

        writer.Family("d_seconds", "histogram", "Durations.");
        writer.Histogram("d_seconds", histogram.Snapshot(), ("model", "m"));

        Assert.Equal(
            "# HELP d_seconds Durations.\n# TYPE d_seconds histogram\n"
            + "d_seconds_bucket{model=\"m\",le=\"0.1\"} 1\n"
            + "d_seconds_bucket{model=\"m\",le=\"1\"} 2\n"
            + "d_seconds_bucket{model=\"m\",le=\"+Inf\"} 3\n"
            + "d_seconds_sum{model=\"m\"} 5.55\n"
            + "d_seconds_count{model=\"m\"} 3\n",
            text.ToString());
        var (buckets, sum, count) = PrometheusPage.Parse(text.ToString()).Histogram("d_seconds", ("model", "m"));
        Assert.Equal([1.0, 2.0, 3.0], buckets.Select(b => b.Count));
        Assert.Equal(double.PositiveInfinity, buckets[^1].Le);
        Assert.Equal(3, count);
        Assert.Equal(5.55, sum, 9);
    }

    [Fact]
    public void Histogram_NoLabels_OnlyTheLeLabel()
    {
        var text = new StringBuilder();
        new PrometheusWriter(text).Histogram("h", new Histogram([1]).Snapshot());

        Assert.StartsWith("h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n", text.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-7, "1E-07")]
    [InlineData(12345678, "12345678")]
    public void Format_Values_PrometheusSpelling(double value, string expected) => Assert.Equal(expected, PrometheusWriter.Format(value));
}

using Inferd.Core.Repository;

namespace Inferd.Core.Tests.Repository;

public sealed class ModelCardParserTests
{
    [Fact]
    public void ParseMetrics_FrontMatterWithMetrics_ReadsEveryMetric()
    {
        const string card = "---\nmetrics:\n  accuracy: 0.9712\n  auc: 0.9934\n---\n# spam\n\nFlags spam.\n";

        var metrics = ModelCardParser.ParseMetrics(card);

        Assert.Equal(2, metrics.Count);
        Assert.Equal(0.9712, metrics["accuracy"]);
        Assert.Equal(0.9934, metrics["auc"]);
    }

    [Fact]
    public void ParseMetrics_OtherKeysAndMalformedNumbers_AreIgnored()
    {
        const string card = "---\r\nowner: data-team\r\nmetrics:\r\n  f1: 0.8\r\n  recall: high\r\n  latency_ms: 12 # p50\r\n  nan: NaN\r\ntags:\r\n  size: 3\r\n---\r\n# m\r\n";

        var metrics = ModelCardParser.ParseMetrics(card);

        Assert.Equal(new Dictionary<string, double> { ["f1"] = 0.8, ["latency_ms"] = 12 }, metrics);
    }

    [Theory]
    [InlineData("# no front matter\nmetrics:\n  a: 1\n")]
    [InlineData("---\nmetrics:\n  a: 1\n# never closed\n")]
    [InlineData("")]
    [InlineData("text\n---\nmetrics:\n  a: 1\n---\n")]
    public void ParseMetrics_NoClosedFrontMatterAtTheTop_ReturnsEmpty(string card)
    {
        var metrics = ModelCardParser.ParseMetrics(card);

        Assert.Empty(metrics);
    }

    [Fact]
    public void ParseMetrics_ByteOrderMarkAndNegativeExponent_Parses()
    {
        const string card = "\uFEFF---\nmetrics:\n  loss: -1.5e-3\n---\n";

        var metrics = ModelCardParser.ParseMetrics(card);

        Assert.Equal(-1.5e-3, metrics["loss"]);
    }
}

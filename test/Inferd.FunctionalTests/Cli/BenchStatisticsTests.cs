using Inferd.Cli.Bench;

namespace Inferd.FunctionalTests.Cli;

/// <summary>The measurement rules of <c>inferd bench</c> on known data.</summary>
public sealed class BenchStatisticsTests
{
    [Theory]
    [InlineData(50, 50)]
    [InlineData(90, 90)]
    [InlineData(95, 95)]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    [InlineData(0.5, 1)]
    public void NearestRank_OneToHundred_ReturnsTheRankedValue(double percent, long expected)
    {
        var values = Enumerable.Range(1, 100).Select(i => (long)i).ToArray();

        Assert.Equal(expected, Percentiles.NearestRank(values, percent));
    }

    [Fact]
    public void NearestRank_SmallSample_RoundsTheRankUp()
    {
        long[] values = [10, 20, 30, 40];

        Assert.Equal(20, Percentiles.NearestRank(values, 50));
        Assert.Equal(40, Percentiles.NearestRank(values, 90));
        Assert.Equal(10, Percentiles.NearestRank(values, 25));
        Assert.Equal(0, Percentiles.NearestRank([], 95));
    }

    [Fact]
    public void LatencyWindow_MergedFromWorkers_SortsForPercentiles()
    {
        var window = new LatencyWindow();
        var a = new LatencyLog();
        var b = new LatencyLog();
        foreach (var v in new long[] { 5, 1, 9 })
        {
            a.Record(v);
        }

        b.Record(3);
        b.RecordError();

        a.DrainInto(window);
        b.DrainInto(window);
        window.Sort();

        Assert.Equal([1L, 3, 5, 9], window.Ticks.ToArray());
        Assert.Equal(1, window.Errors);
        Assert.Equal(3, Percentiles.NearestRank(window.Ticks, 50));
    }

    [Theory]
    [InlineData(new[] { 1000.0, 1050, 980 }, new[] { 200.0, 210, 190 }, true)]
    [InlineData(new[] { 500.0, 1000, 1000, 1020 }, new[] { 900.0, 200, 205, 198 }, true)]
    [InlineData(new[] { 1000.0, 1400, 1000 }, new[] { 200.0, 200, 200 }, false)]
    [InlineData(new[] { 1000.0, 1000, 1000 }, new[] { 200.0, 300, 200 }, false)]
    [InlineData(new[] { 1000.0, 1000 }, new[] { 200.0, 200 }, false)]
    [InlineData(new[] { 0.0, 0, 0 }, new[] { 0.0, 0, 0 }, false)]
    public void IsStable_LastThreeWindows_AgreeWithinThreshold(double[] throughputs, double[] p95s, bool expected)
    {
        Assert.Equal(expected, StabilityRule.IsStable(throughputs, p95s, 0.15));
    }

    [Fact]
    public void ServerStats_RestAndGrpcJson_GiveTheSameBreakdown()
    {
        const string Before = """{"model_stats":[{"name":"m","version":"1","inference_count":10,"execution_count":10,"inference_stats":{"success":{"count":10,"ns":1},"queue":{"count":10,"ns":10000},"compute_input":{"count":10,"ns":20000},"compute_infer":{"count":10,"ns":100000},"compute_output":{"count":10,"ns":30000}}}]}""";
        // protobuf JSON: 64-bit numbers as strings.
        const string After = """{"model_stats":[{"name":"m","version":"1","inference_count":"50","execution_count":"20","inference_stats":{"success":{"count":"30","ns":"1"},"queue":{"count":"30","ns":"50000"},"compute_input":{"count":"30","ns":"60000"},"compute_infer":{"count":"30","ns":"300000"},"compute_output":{"count":"30","ns":"70000"}}}]}""";

        var breakdown = ServerStats.Parse(After).Since(ServerStats.Parse(Before));

        Assert.NotNull(breakdown);
        Assert.Equal(2.0, breakdown.QueueUs, 6);
        Assert.Equal(2.0, breakdown.ComputeInputUs, 6);
        Assert.Equal(10.0, breakdown.ComputeInferUs, 6);
        Assert.Equal(2.0, breakdown.ComputeOutputUs, 6);
        Assert.Equal(4.0, breakdown.AverageBatch);
        Assert.Null(ServerStats.Parse(Before).Since(ServerStats.Parse(Before)));
    }

    [Fact]
    public void ParseStat_CommandWithSpacesAndParentheses_ReadsUserPlusSystemTicks()
    {
        const string Stat = "1234 (my (odd) proc) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 100 1000 200";

        Assert.Equal(300, ProcessCpu.ParseStat(Stat));
        Assert.Null(ProcessCpu.ParseStat("garbage"));
    }
}

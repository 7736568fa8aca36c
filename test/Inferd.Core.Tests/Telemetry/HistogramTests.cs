using Inferd.Core.Telemetry;
using Inferd.Testing;

namespace Inferd.Core.Tests.Telemetry;

public sealed class HistogramTests
{
    [Fact]
    public void Snapshot_ObservationsAcrossBuckets_CumulativeCountsWithInfEqualToCount()
    {
        var histogram = new Histogram([1, 2, 5]);
        foreach (var value in new[] { 0.5, 1, 1.5, 2, 3, 7, 100 })
        {
            histogram.Observe(value);
        }

        var snapshot = histogram.Snapshot();

        // A value on a bound counts in that bound's bucket (le means "at or below").
        Assert.Equal([2L, 4L, 5L, 7L], snapshot.CumulativeCounts);
        Assert.Equal(7, snapshot.Count);
        Assert.Equal(snapshot.Count, snapshot.CumulativeCounts[^1]);
        Assert.Equal(115, snapshot.Sum, 9);
    }

    [Fact]
    public async Task Observe_FromManyThreads_NoObservationLost()
    {
        var histogram = new Histogram(Histogram.LatencySeconds);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Observe(0.001);
            }
        }))).DefaultTimeout();

        var snapshot = histogram.Snapshot();
        Assert.Equal(40_000, snapshot.Count);
        Assert.Equal(40, snapshot.Sum, 6);
        Assert.Equal(0, snapshot.CumulativeCounts[2]);
        Assert.Equal(40_000, snapshot.CumulativeCounts[3]);
    }

    [Fact]
    public void Constructor_BoundsNotIncreasing_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Histogram([1, 1, 2]));
        Assert.Throws<ArgumentException>(() => new Histogram([2, 1]));
    }

    [Fact]
    public void DefaultBounds_StrictlyIncreasing_LatencyFrom100MicrosecondsTo60Seconds()
    {
        Assert.Equal(0.0001, Histogram.LatencySeconds[0]);
        Assert.Equal(60, Histogram.LatencySeconds[^1]);
        Assert.Equal(1024, Histogram.BatchSizes[^1]);
        _ = new Histogram(Histogram.LatencySeconds);
        _ = new Histogram(Histogram.BatchSizes);
    }
}

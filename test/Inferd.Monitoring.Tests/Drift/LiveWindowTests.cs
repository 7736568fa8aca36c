using Inferd.Monitoring.Drift;
using static Inferd.Monitoring.Tests.Drift.DriftTestData;

namespace Inferd.Monitoring.Tests.Drift;

public sealed class LiveWindowTests
{
    private static readonly ReferenceProfile Reference = BuildReference();

    [Fact]
    public void Add_MoreValuesThanCapacity_KeepsTheLastOnes()
    {
        // Arrange
        var window = new LiveWindow(Reference, capacity: 3);

        // Act
        window.Add(Features([1, 2, 3, 4, 5], ["a", "a", "b", "b", "b"]));

        // Assert
        var snapshot = window.Snapshot();
        Assert.Equal(3, snapshot.Rows);
        Assert.Equal([3.0, 4, 5], snapshot.Inputs[0].Values!.Order());
        Assert.Equal([0L, 3, 0], snapshot.Inputs[1].BinCounts!);
        Assert.Equal(1, snapshot.Updates);
    }

    [Fact]
    public void Add_BadValues_CountedByKind()
    {
        // Arrange: the reference range of v is [1, 4], its categories a and b.
        var window = new LiveWindow(Reference, capacity: 100);

        // Act
        window.Add(Features([float.NaN, 0, 9, float.PositiveInfinity, 2], ["", "a", "zzz", "b", "a"]));
        window.Add(FeatureExtractor.Extract([Strings("k", ["a", "a"])], [], batched: true));

        // Assert
        var v = window.Snapshot().Inputs[0];
        var k = window.Snapshot().Inputs[1];
        Assert.Equal(new DataQuality(Missing: 2, NaN: 1, OutOfRange: 3, UnknownCategory: 0), v.Quality);
        Assert.Equal([0.0, 9, 2], v.Values!);
        Assert.Equal(new DataQuality(Missing: 1, NaN: 0, OutOfRange: 0, UnknownCategory: 1), k.Quality);
        Assert.Equal([4L, 1, 1], k.BinCounts!);
        Assert.Equal(7, v.Seen);
    }

    [Fact]
    public void Add_UnknownTensorsAndOutputs_AreIgnored()
    {
        var window = new LiveWindow(Reference, capacity: 10);

        window.Add(FeatureExtractor.Extract([Floats("v", [1], [2]), Strings("k", ["a"]), Floats("other", [1], [1])], [Floats("y", [1], [1])], batched: true));

        Assert.Equal(["k", "v"], window.InputTensors.Order());
        Assert.Single(window.Snapshot().Inputs[0].Values!);
    }

    private static ExtractedFeatures Features(float[] v, string[] k) =>
        FeatureExtractor.Extract([Floats("v", [v.Length], v), Strings("k", k)], [], batched: true);

    private static ReferenceProfile BuildReference()
    {
        var builder = new ProfileBuilder();
        builder.Add(Features([1, 2, 3, 4], ["a", "a", "b", "a"]));
        return builder.Build("m", "1", DateTimeOffset.UnixEpoch);
    }
}

using Inferd.Batch.Service;

namespace Inferd.Batch.Tests.Service;

public sealed class JobIdsTests
{
    [Fact]
    public void New_TwoTimes_SortByTimeAndAreWellFormed()
    {
        var earlier = JobIds.New(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var later = JobIds.New(new DateTimeOffset(2030, 1, 1, 0, 0, 0, 1, TimeSpan.Zero));

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.True(JobIds.IsWellFormed(earlier));
        Assert.Equal(JobIds.Length, later.Length);
    }

    [Fact]
    public void New_SameMillisecond_Differ()
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(60);

        var ids = Enumerable.Range(0, 100).Select(_ => JobIds.New(now)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(100, ids.Count);
    }
}

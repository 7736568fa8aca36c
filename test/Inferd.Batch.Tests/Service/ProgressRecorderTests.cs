using Inferd.Batch.Jobs;
using Inferd.Batch.Service;
using Inferd.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Inferd.Batch.Tests.Service;

/// <summary>Progress reaches the database at most once per interval, and the last report is not lost.</summary>
public sealed class ProgressRecorderTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new();
    private readonly JobStore _store;
    private readonly string _id = new('a', JobIds.Length);

    public ProgressRecorderTests()
    {
        _store = JobStore.Open(Path.Combine(_temp.Path, "jobs.db"));
        _store.Insert(
            new JobInfo { Id = _id, Model = "m", Input = "in", Output = "out", State = JobState.Queued, Created = _time.GetUtcNow() },
            new Inferd.Batch.Jobs.BatchJobSpec { Model = "m", Inputs = ["in"], Output = "out" });
        _store.TryClaim(_id, _time.GetUtcNow());
    }

    public void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Report_ManyWithinInterval_WritesFirstOnly()
    {
        var recorder = new ProgressRecorder(_store, _id, _time, TimeSpan.FromSeconds(1));

        for (var i = 1; i <= 100; i++)
        {
            recorder.Report(Progress(i));
            _time.Advance(TimeSpan.FromMilliseconds(5));
        }

        Assert.Equal(1, recorder.Writes);
        Assert.Equal(1, _store.Get(_id)!.RowsIn);
    }

    [Fact]
    public void Report_AfterInterval_WritesAgain()
    {
        var recorder = new ProgressRecorder(_store, _id, _time, TimeSpan.FromSeconds(1));
        recorder.Report(Progress(1));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        recorder.Report(Progress(2));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        recorder.Report(Progress(3));

        Assert.Equal(2, recorder.Writes);
        Assert.Equal(3, _store.Get(_id)!.RowsIn);
    }

    [Fact]
    public void Flush_HeldBackReport_WritesIt()
    {
        var recorder = new ProgressRecorder(_store, _id, _time, TimeSpan.FromSeconds(1));
        recorder.Report(Progress(1));
        recorder.Report(Progress(2));

        recorder.Flush();
        recorder.Flush();

        Assert.Equal(2, recorder.Writes);
        Assert.Equal(2, _store.Get(_id)!.RowsIn);
    }

    private static BatchProgress Progress(long rows) => new(rows, rows, 0, 0, rows * 10, 10_000, 0, TimeSpan.FromSeconds(1));
}

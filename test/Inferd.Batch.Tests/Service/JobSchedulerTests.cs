using Inferd.Batch.Jobs;
using Inferd.Batch.Service;
using Inferd.Testing;

namespace Inferd.Batch.Tests.Service;

/// <summary>
/// Schedules on a fake clock: due times, one job per run over exactly the new files, files taken again only when
/// their job did not complete. The manager is not started, so jobs stay as submitted.
/// </summary>
public sealed class JobSchedulerTests : IAsyncLifetime
{
    private JobServiceFixture _fixture = null!;

    private JobScheduler Schedules => _fixture.Manager.Schedules;

    public async ValueTask InitializeAsync()
    {
        _fixture = await JobServiceFixture.CreateAsync();
        Directory.CreateDirectory(Path.Combine(_fixture.DataDirectory, "incoming"));
    }

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public void Add_Interval_FirstRunOneIntervalFromNow()
    {
        var schedule = Schedules.Add(Request(interval: 60));

        var read = Schedules.Get("s");
        Assert.Equal(_fixture.Time.GetUtcNow().AddSeconds(60), schedule.NextRun);
        Assert.Equal((schedule.NextRun, schedule.Created, "incoming", "results", "id"), (read.NextRun, read.Created, read.Template.Input, read.Template.Output, read.Template.IdColumn));
    }

    [Fact]
    public void RunDue_BeforeDueTime_SubmitsNothing()
    {
        Schedules.Add(Request(interval: 60));
        _fixture.Write("incoming/a.csv", Csv(1));
        _fixture.Time.Advance(TimeSpan.FromSeconds(59));

        Assert.Empty(Schedules.RunDue());
        Assert.Null(Schedules.Get("s").LastRun);
    }

    [Fact]
    public void RunDue_TwoNewFiles_SubmitsOneJobOverBothIntoTimestampedFolder()
    {
        Schedules.Add(Request(interval: 60));
        _fixture.Write("incoming/b.csv", Csv(2));
        _fixture.Write("incoming/a.csv", Csv(1));
        _fixture.Time.Advance(TimeSpan.FromSeconds(60));

        var job = Assert.Single(Schedules.RunDue());

        Assert.Equal(("s", "incoming", $"results/20300101T120100Z-{job.Id}"), (job.Schedule, job.Input, job.Output));
        Assert.Equal(["incoming/a.csv", "incoming/b.csv"], Inputs(job));
        var schedule = Schedules.Get("s");
        Assert.Equal((_fixture.Time.GetUtcNow(), _fixture.Time.GetUtcNow().AddSeconds(60)), (schedule.LastRun, schedule.NextRun));
    }

    [Fact]
    public void RunDue_FilesOfQueuedJobThenOneNewFile_SecondJobTakesOnlyTheNewFile()
    {
        Schedules.Add(Request(interval: 60));
        _fixture.Write("incoming/a.csv", Csv(1));
        _fixture.Write("incoming/b.csv", Csv(2));
        _fixture.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Single(Schedules.RunDue());

        _fixture.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Empty(Schedules.RunDue());

        _fixture.Write("incoming/c.csv", Csv(3));
        _fixture.Time.Advance(TimeSpan.FromSeconds(60));
        var job = Assert.Single(Schedules.RunDue());

        Assert.Equal(["incoming/c.csv"], Inputs(job));
    }

    [Fact]
    public void RunNow_FilesOfCompletedJob_AreNotTakenAgainUnlessChanged()
    {
        Schedules.Add(Request(interval: 3600));
        _fixture.Write("incoming/a.csv", Csv(1));
        _fixture.Write("incoming/b.csv", Csv(2));
        var first = Schedules.RunNow("s")!;
        Complete(first.Id);

        Assert.Null(Schedules.RunNow("s"));

        _fixture.Write("incoming/b.csv", Csv(2) + "9,1,1,1,1\n", ageSeconds: 30);
        var second = Schedules.RunNow("s")!;

        Assert.Equal(["incoming/b.csv"], Inputs(second));
        Assert.Equal(_fixture.Time.GetUtcNow().AddSeconds(3600), Schedules.Get("s").NextRun);
    }

    [Fact]
    public async Task RunNow_FilesOfCancelledJob_AreTakenAgain()
    {
        Schedules.Add(Request(interval: 3600));
        _fixture.Write("incoming/a.csv", Csv(1));
        var first = Schedules.RunNow("s")!;
        await _fixture.Manager.CancelAsync(first.Id, TimeSpan.FromSeconds(1), CancellationToken.None).DefaultTimeout();

        var second = Schedules.RunNow("s");

        Assert.NotNull(second);
        Assert.Equal(["incoming/a.csv"], Inputs(second));
    }

    [Fact]
    public void RunNow_FileStillBeingWritten_WaitsForItToSettle()
    {
        Schedules.Add(Request(interval: 3600));
        _fixture.Write("incoming/a.csv", Csv(1), ageSeconds: 1);

        Assert.Null(Schedules.RunNow("s"));

        _fixture.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.NotNull(Schedules.RunNow("s"));
    }

    [Fact]
    public void RunNow_SameFileNameInTwoFolders_TakesOneEachRun()
    {
        Schedules.Add(Request(interval: 3600));
        _fixture.Write("incoming/day1/data.csv", Csv(1));
        _fixture.Write("incoming/day2/data.csv", Csv(2));

        var first = Schedules.RunNow("s")!;
        var second = Schedules.RunNow("s")!;

        Assert.Equal(["incoming/day1/data.csv"], Inputs(first));
        Assert.Equal(["incoming/day2/data.csv"], Inputs(second));
        Assert.Null(Schedules.RunNow("s"));
    }

    [Fact]
    public void Start_TimerReachesDueTime_RunsScheduleWithoutBeingCalled()
    {
        Schedules.Add(Request(cron: "*/5 * * * *"));
        _fixture.Write("incoming/a.csv", Csv(1));
        Schedules.Start();

        _fixture.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty(_fixture.Manager.List(null, 10));

        _fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var job = Assert.Single(_fixture.Manager.List(null, 10));
        Assert.Equal("s", job.Schedule);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 12, 10, 0, TimeSpan.Zero), Schedules.Get("s").NextRun);
    }

    [Fact]
    public void Add_SameNameTwice_ThrowsConflict()
    {
        Schedules.Add(Request(interval: 60));

        var error = Assert.Throws<BatchServiceException>(() => Schedules.Add(Request(interval: 30)));

        Assert.Equal(BatchServiceError.Conflict, error.Error);
    }

    [Theory]
    [InlineData("incoming", "incoming/out", "inside the input")]
    [InlineData("incoming/a.csv", "results", "folder")]
    [InlineData("incoming", "results/all.csv", "is a folder")]
    [InlineData("missing", "results", "does not exist")]
    public void Add_BadFolders_ThrowsBatchJobException(string input, string output, string reason)
    {
        _fixture.Write("incoming/a.csv", Csv(1));
        var request = Request(interval: 60);

        var error = Assert.Throws<BatchJobException>(() => Schedules.Add(request with { Template = request.Template with { Input = input, Output = output } }));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    public void Add_BadName_ThrowsBatchJobException(string name)
    {
        Assert.Throws<BatchJobException>(() => Schedules.Add(Request(interval: 60) with { Name = name }));
    }

    [Fact]
    public void Delete_Schedule_IsGoneAndNotFoundAfter()
    {
        Schedules.Add(Request(interval: 60));

        Schedules.Delete("s");

        Assert.Empty(Schedules.List());
        Assert.Equal(BatchServiceError.NotFound, Assert.Throws<BatchServiceException>(() => Schedules.Delete("s")).Error);
    }

    private static ScheduleRequest Request(long? interval = null, string? cron = null) => new()
    {
        Name = "s",
        Template = new JobRequest { Model = JobServiceFixture.Model, Input = "incoming", Output = "results", IdColumn = "id" },
        IntervalSeconds = interval,
        Cron = cron,
    };

    private static string Csv(int id) => $"id,f0,f1,f2,f3\n{id},1,2,3,4\n";

    private IReadOnlyList<string> Inputs(JobInfo job)
    {
        using var store = _fixture.OpenStore();
        return store.GetSpec(job.Id)!.Inputs;
    }

    /// <summary>Completes a job as a worker would, through a second handle on the database.</summary>
    private void Complete(string id)
    {
        using var store = _fixture.OpenStore();
        Assert.True(store.TryClaim(id, _fixture.Time.GetUtcNow()));
        Assert.True(store.Complete(id, new BatchJobSummary(1, 1, 0, 0, 1, 0, 1, 0, TimeSpan.FromSeconds(1), "results", null), _fixture.Time.GetUtcNow()));
    }
}

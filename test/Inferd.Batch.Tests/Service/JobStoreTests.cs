using Inferd.Batch.Jobs;
using Inferd.Batch.Service;
using Inferd.Testing;
using Microsoft.Data.Sqlite;

namespace Inferd.Batch.Tests.Service;

/// <summary>The SQLite job store: round trips, state transitions, and a reopened file keeps its rows.</summary>
public sealed class JobStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    private string DbPath => Path.Combine(_temp.Path, "state", "jobs.db");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Insert_ThenReopen_SeesJobAndSpec()
    {
        var job = Job("a", T0) with { Version = "2", Schedule = "nightly" };
        var spec = Spec() with { InputMap = new Dictionary<string, IReadOnlyList<string>> { ["X"] = ["f0", "f1"] }, MaxErrors = 7 };
        using (var store = JobStore.Open(DbPath))
        {
            store.Insert(job, spec);
        }

        using var reopened = JobStore.Open(DbPath);
        var read = reopened.Get(job.Id);
        var readSpec = reopened.GetSpec(job.Id);

        Assert.Equal(job, read);
        Assert.NotNull(readSpec);
        Assert.Equal(["in/a.csv"], readSpec.Inputs);
        Assert.Equal(["f0", "f1"], readSpec.InputMap["X"]);
        Assert.Equal(7, readSpec.MaxErrors);
    }

    [Fact]
    public void Open_NewFile_UsesWalAndSchemaVersion()
    {
        using (JobStore.Open(DbPath))
        {
        }

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal((long)JobDatabase.SchemaVersion, Scalar(connection, "PRAGMA user_version"));
    }

    [Fact]
    public void Open_NewerSchema_Throws()
    {
        using (JobStore.Open(DbPath))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => JobStore.Open(DbPath));
        Assert.Contains("newer Inferd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void List_ManyJobs_NewestFirstFilteredAndLimited()
    {
        using var store = JobStore.Open(DbPath);
        for (var i = 0; i < 5; i++)
        {
            store.Insert(Job("j" + i, T0.AddSeconds(i)), Spec());
        }

        store.TryClaim(Id("j1"), T0);

        Assert.Equal(["j4", "j3", "j2"], store.List(null, 3).Select(j => j.Id[..2]));
        Assert.Equal(["j1"], store.List(JobState.Running, 10).Select(j => j.Id[..2]));
        Assert.Equal(["j0", "j2", "j3", "j4"], store.QueuedIds().Select(id => id[..2]));
    }

    [Fact]
    public void TryClaim_QueuedJob_SucceedsOnce()
    {
        using var store = JobStore.Open(DbPath);
        var job = Job("a", T0);
        store.Insert(job, Spec());

        Assert.True(store.TryClaim(job.Id, T0.AddSeconds(1)));
        Assert.False(store.TryClaim(job.Id, T0.AddSeconds(2)));
        Assert.Equal(JobState.Running, store.Get(job.Id)!.State);
        Assert.Equal(T0.AddSeconds(1), store.Get(job.Id)!.Started);
    }

    [Fact]
    public void ReportProgressThenComplete_RunningJob_KeepsFinalCounts()
    {
        using var store = JobStore.Open(DbPath);
        var job = Job("a", T0);
        store.Insert(job, Spec());
        store.TryClaim(job.Id, T0);

        store.ReportProgress(job.Id, new BatchProgress(50, 40, 1, 10, 500, 1000, 1, TimeSpan.FromSeconds(2)));
        var running = store.Get(job.Id)!;
        var completed = store.Complete(job.Id, Summary(rowsIn: 90, alreadyDone: 10, totalOut: 99, totalErrors: 1), T0.AddMinutes(1));

        Assert.Equal((60L, 40L, 1L, 0.5), (running.RowsIn, running.RowsOut, running.Errors, running.Progress));
        Assert.True(completed);
        var done = store.Get(job.Id)!;
        Assert.Equal((JobState.Completed, 100L, 99L, 1L, 1.0), (done.State, done.RowsIn, done.RowsOut, done.Errors, done.Progress));
        Assert.Equal(T0.AddMinutes(1), done.Finished);
    }

    [Fact]
    public void Finish_FinishedJob_ChangesNothing()
    {
        using var store = JobStore.Open(DbPath);
        var job = Job("a", T0);
        store.Insert(job, Spec());
        Assert.True(store.Finish(job.Id, JobState.Cancelled, T0, "cancelled"));

        Assert.False(store.Finish(job.Id, JobState.Failed, T0, "late failure"));
        Assert.False(store.TryClaim(job.Id, T0));
        Assert.Equal((JobState.Cancelled, "cancelled"), (store.Get(job.Id)!.State, store.Get(job.Id)!.Message));
    }

    [Fact]
    public void RequeueInterrupted_JobLeftRunningByEarlierProcess_IsQueuedAfterReopen()
    {
        var job = Job("a", T0);
        using (var store = JobStore.Open(DbPath))
        {
            store.Insert(job, Spec());
            store.TryClaim(job.Id, T0);
        }

        using var reopened = JobStore.Open(DbPath);
        var requeued = reopened.RequeueInterrupted("resumed");

        Assert.Equal(1, requeued);
        Assert.Equal(JobState.Queued, reopened.Get(job.Id)!.State);
        Assert.Equal([job.Id], reopened.QueuedIds());
    }

    [Fact]
    public void TakenFiles_ByJobState_HoldsDoneAndActiveButNotFailed()
    {
        using var store = JobStore.Open(DbPath);
        var done = Job("d", T0) with { Schedule = "s" };
        var active = Job("q", T0) with { Schedule = "s" };
        var failed = Job("f", T0) with { Schedule = "s" };
        store.Insert(done, Spec(), [new ScheduleFile("in/1.csv", 10, 100)]);
        store.Insert(active, Spec(), [new ScheduleFile("in/2.csv", 20, 200)]);
        store.Insert(failed, Spec(), [new ScheduleFile("in/3.csv", 30, 300)]);
        store.TryClaim(done.Id, T0);
        store.Complete(done.Id, Summary(1, 0, 1, 0), T0);
        store.Finish(failed.Id, JobState.Failed, T0, "model failed");

        var taken = store.Schedules.TakenFiles("s");

        Assert.Equal(["in/1.csv", "in/2.csv"], taken.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new ScheduleFile("in/1.csv", 10, 100), taken["in/1.csv"]);
        Assert.Empty(store.Schedules.TakenFiles("other"));
    }

    [Fact]
    public void ScheduleInsert_ThenReopen_RoundTripsAndRefusesDuplicateName()
    {
        var schedule = new ScheduleInfo
        {
            Name = "hourly",
            Template = new JobRequest { Model = "m", Input = "in", Output = "out", OutputMap = new Dictionary<string, string> { ["Y"] = "score" } },
            Cron = "0 * * * *",
            NextRun = T0.AddHours(1),
            Created = T0,
        };
        using (var store = JobStore.Open(DbPath))
        {
            Assert.True(store.Schedules.Insert(schedule));
            Assert.False(store.Schedules.Insert(schedule with { Cron = "5 * * * *" }));
            store.Schedules.SetRun("hourly", T0.AddMinutes(1), null);
        }

        using var reopened = JobStore.Open(DbPath);
        var read = reopened.Schedules.Get("hourly")!;

        Assert.Equal(("0 * * * *", T0.AddHours(1), T0.AddMinutes(1)), (read.Cron, read.NextRun, read.LastRun));
        Assert.Equal("score", read.Template.OutputMap["Y"]);
        Assert.True(reopened.Schedules.Delete("hourly"));
        Assert.Empty(reopened.Schedules.List());
    }

    private static string Id(string prefix) => prefix + new string('0', JobIds.Length - prefix.Length);

    private static JobInfo Job(string prefix, DateTimeOffset created) => new()
    {
        Id = Id(prefix),
        Model = "mlp",
        Input = "in/a.csv",
        Output = "out/" + prefix,
        State = JobState.Queued,
        Created = created,
    };

    private static Inferd.Batch.Jobs.BatchJobSpec Spec() => new() { Model = "mlp", Inputs = ["in/a.csv"], Output = "out/a" };

    private static BatchJobSummary Summary(long rowsIn, long alreadyDone, long totalOut, long totalErrors) =>
        new(rowsIn, totalOut - alreadyDone, totalErrors, alreadyDone, totalOut, totalErrors, 1, 0, TimeSpan.FromSeconds(1), "out", null);

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}

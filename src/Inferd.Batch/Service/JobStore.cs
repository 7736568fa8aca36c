using Inferd.Batch.Jobs;
using Microsoft.Data.Sqlite;

namespace Inferd.Batch.Service;

/// <summary>
/// Jobs in the SQLite database: one row per job, its spec, state and latest counts. State changes are conditional
/// updates (<c>WHERE state = ...</c>), so a job is claimed by one worker and a finished job never changes again.
/// </summary>
internal sealed class JobStore : IDisposable
{
    private const string Columns =
        "id, model, version, input, output, state, created, started, finished, rows_in, rows_out, errors, bytes_read, bytes_total, rows_per_second, message, schedule";

    private readonly JobDatabase _database;

    private JobStore(JobDatabase database)
    {
        _database = database;
        Schedules = new ScheduleStore(database);
    }

    /// <summary>The schedules in the same file.</summary>
    public ScheduleStore Schedules { get; }

    /// <summary>The database file.</summary>
    public string Path => _database.Path;

    /// <summary>Opens the store at <paramref name="path"/>, creating it when missing; earlier rows are kept.</summary>
    public static JobStore Open(string path) => new(JobDatabase.Open(path));

    /// <summary>Adds a job, and the schedule files it takes over, in one transaction.</summary>
    public void Insert(JobInfo job, Jobs.BatchJobSpec spec, IReadOnlyList<ScheduleFile>? files = null) => _database.Write((c, t) =>
    {
        JobDatabase.Execute(c, t,
            "INSERT INTO jobs (id, model, version, input, output, spec, state, created, message, schedule) VALUES ($id, $model, $version, $input, $output, $spec, $state, $created, $message, $schedule)",
            ("$id", job.Id), ("$model", job.Model), ("$version", job.Version), ("$input", job.Input), ("$output", job.Output),
            ("$spec", ServiceJsonContext.ToJson(spec)), ("$state", job.State.ToName()), ("$created", JobDatabase.FormatTime(job.Created)),
            ("$message", job.Message), ("$schedule", job.Schedule));
        foreach (var file in files ?? [])
        {
            // A file seen again (changed, or after a failed job) is handed to the new job.
            JobDatabase.Execute(c, t,
                "INSERT INTO schedule_files (schedule, path, size, mtime_ticks, job_id, done) VALUES ($schedule, $path, $size, $mtime, $job, 0) " +
                "ON CONFLICT (schedule, path) DO UPDATE SET size = excluded.size, mtime_ticks = excluded.mtime_ticks, job_id = excluded.job_id, done = 0",
                ("$schedule", job.Schedule), ("$path", file.Path), ("$size", file.Size), ("$mtime", file.MtimeTicks), ("$job", job.Id));
        }

        return 0;
    });

    /// <summary>The job, or null.</summary>
    public JobInfo? Get(string id) => _database.Read(c =>
    {
        using var command = JobDatabase.Command(c, null, $"SELECT {Columns} FROM jobs WHERE id = $id", ("$id", id));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadJob(reader) : null;
    });

    /// <summary>The stored spec of a job, or null.</summary>
    public Jobs.BatchJobSpec? GetSpec(string id) => _database.Read(c =>
    {
        using var command = JobDatabase.Command(c, null, "SELECT spec FROM jobs WHERE id = $id", ("$id", id));
        return command.ExecuteScalar() is string json ? ServiceJsonContext.SpecFromJson(json) : null;
    });

    /// <summary>Jobs newest first, optionally in one state only.</summary>
    public IReadOnlyList<JobInfo> List(JobState? state, int limit) => _database.Read(c =>
    {
        using var command = JobDatabase.Command(c, null,
            $"SELECT {Columns} FROM jobs WHERE $state IS NULL OR state = $state ORDER BY created DESC, rowid DESC LIMIT $limit",
            ("$state", state?.ToName()), ("$limit", limit));
        using var reader = command.ExecuteReader();
        var jobs = new List<JobInfo>();
        while (reader.Read())
        {
            jobs.Add(ReadJob(reader));
        }

        return jobs;
    });

    /// <summary>Ids of queued jobs, oldest first: the order they run in.</summary>
    public IReadOnlyList<string> QueuedIds() => _database.Read(c =>
    {
        using var command = JobDatabase.Command(c, null, "SELECT id FROM jobs WHERE state = 'queued' ORDER BY created, rowid");
        using var reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    });

    /// <summary>Moves a queued job to running; false when it is no longer queued (cancelled, or claimed already).</summary>
    public bool TryClaim(string id, DateTimeOffset now) => _database.Write((c, t) => JobDatabase.Execute(c, t,
        "UPDATE jobs SET state = 'running', started = $now WHERE id = $id AND state = 'queued'",
        ("$id", id), ("$now", JobDatabase.FormatTime(now))) == 1);

    /// <summary>Records a running job's latest progress.</summary>
    public void ReportProgress(string id, BatchProgress progress) => _database.Write((c, t) => JobDatabase.Execute(c, t,
        "UPDATE jobs SET rows_in = $in, rows_out = $out, errors = $errors, bytes_read = $read, bytes_total = $total, rows_per_second = $rate " +
        "WHERE id = $id AND state = 'running'",
        ("$id", id), ("$in", progress.RowsRead + progress.RowsSkipped), ("$out", progress.RowsWritten), ("$errors", progress.Errors),
        ("$read", progress.BytesRead), ("$total", progress.BytesTotal), ("$rate", progress.RowsPerSecond)));

    /// <summary>Marks a running job completed with its final counts, and its schedule files done.</summary>
    public bool Complete(string id, BatchJobSummary summary, DateTimeOffset now) => _database.Write((c, t) =>
    {
        var changed = JobDatabase.Execute(c, t,
            "UPDATE jobs SET state = 'completed', finished = $now, rows_in = $in, rows_out = $out, errors = $errors, " +
            "bytes_read = bytes_total, rows_per_second = $rate, message = NULL WHERE id = $id AND state = 'running'",
            ("$id", id), ("$now", JobDatabase.FormatTime(now)), ("$in", summary.RowsIn + summary.RowsAlreadyDone),
            ("$out", summary.TotalRowsOut), ("$errors", summary.TotalErrors), ("$rate", summary.RowsPerSecond));
        if (changed == 1)
        {
            JobDatabase.Execute(c, t, "UPDATE schedule_files SET done = 1 WHERE job_id = $id", ("$id", id));
        }

        return changed == 1;
    });

    /// <summary>Ends a queued or running job as failed or cancelled; false when it had finished already.</summary>
    public bool Finish(string id, JobState state, DateTimeOffset now, string message) => _database.Write((c, t) => JobDatabase.Execute(c, t,
        "UPDATE jobs SET state = $state, finished = $now, message = $message WHERE id = $id AND state IN ('queued', 'running')",
        ("$id", id), ("$state", state.ToName()), ("$now", JobDatabase.FormatTime(now)), ("$message", message)) == 1);

    /// <summary>Puts a running job back in the queue (the server stops); its next run resumes from its manifest.</summary>
    public bool Requeue(string id, string message) => _database.Write((c, t) => JobDatabase.Execute(c, t,
        "UPDATE jobs SET state = 'queued', message = $message WHERE id = $id AND state = 'running'",
        ("$id", id), ("$message", message)) == 1);

    /// <summary>Requeues every job a previous process left running (it stopped without ending them).</summary>
    public int RequeueInterrupted(string message) => _database.Write((c, t) => JobDatabase.Execute(c, t,
        "UPDATE jobs SET state = 'queued', message = $message WHERE state = 'running'", ("$message", message)));

    public void Dispose() => _database.Dispose();

    private static JobInfo ReadJob(SqliteDataReader r)
    {
        if (!JobStates.TryParse(r.GetString(5), out var state))
        {
            throw new InvalidDataException($"job {r.GetString(0)} has the unknown state '{r.GetString(5)}'");
        }

        return new JobInfo
        {
            Id = r.GetString(0),
            Model = r.GetString(1),
            Version = JobDatabase.Text(r, 2),
            Input = r.GetString(3),
            Output = r.GetString(4),
            State = state,
            Created = JobDatabase.ParseTime(r.GetString(6)),
            Started = JobDatabase.ParseTime(r, 7),
            Finished = JobDatabase.ParseTime(r, 8),
            RowsIn = r.GetInt64(9),
            RowsOut = r.GetInt64(10),
            Errors = r.GetInt64(11),
            BytesRead = r.GetInt64(12),
            BytesTotal = r.GetInt64(13),
            RowsPerSecond = r.GetDouble(14),
            Message = JobDatabase.Text(r, 15),
            Schedule = JobDatabase.Text(r, 16),
        };
    }
}

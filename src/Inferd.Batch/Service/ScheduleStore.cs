using Microsoft.Data.Sqlite;

namespace Inferd.Batch.Service;

/// <summary>Schedules and the files each has handed to a job, in the job database.</summary>
internal sealed class ScheduleStore(JobDatabase database)
{
    private const string Columns = "name, spec, interval_seconds, cron, next_run, last_run, enabled, created";

    /// <summary>Adds a schedule; false when the name is taken.</summary>
    public bool Insert(ScheduleInfo schedule) => database.Write((c, t) => JobDatabase.Execute(c, t,
        $"INSERT INTO schedules ({Columns}) VALUES ($name, $spec, $interval, $cron, $next, NULL, $enabled, $created) ON CONFLICT (name) DO NOTHING",
        ("$name", schedule.Name), ("$spec", ServiceJsonContext.ToJson(schedule.Template)), ("$interval", schedule.IntervalSeconds), ("$cron", schedule.Cron),
        ("$next", JobDatabase.FormatTime(schedule.NextRun)), ("$enabled", schedule.Enabled ? 1 : 0),
        ("$created", JobDatabase.FormatTime(schedule.Created))) == 1);

    /// <summary>The schedule, or null.</summary>
    public ScheduleInfo? Get(string name) => database.Read(c =>
    {
        using var command = JobDatabase.Command(c, null, $"SELECT {Columns} FROM schedules WHERE name = $name", ("$name", name));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadSchedule(reader) : null;
    });

    /// <summary>Every schedule, by name.</summary>
    public IReadOnlyList<ScheduleInfo> List() => database.Read(c =>
    {
        using var command = JobDatabase.Command(c, null, $"SELECT {Columns} FROM schedules ORDER BY name");
        using var reader = command.ExecuteReader();
        var schedules = new List<ScheduleInfo>();
        while (reader.Read())
        {
            schedules.Add(ReadSchedule(reader));
        }

        return schedules;
    });

    /// <summary>Removes a schedule and its file records (its jobs stay); false when there was none.</summary>
    public bool Delete(string name) => database.Write((c, t) =>
    {
        JobDatabase.Execute(c, t, "DELETE FROM schedule_files WHERE schedule = $name", ("$name", name));
        return JobDatabase.Execute(c, t, "DELETE FROM schedules WHERE name = $name", ("$name", name)) == 1;
    });

    /// <summary>Records a run: when it happened and when the next is due (null keeps the current due time).</summary>
    public void SetRun(string name, DateTimeOffset lastRun, DateTimeOffset? nextRun) => database.Write((c, t) => JobDatabase.Execute(c, t,
        "UPDATE schedules SET last_run = $last, next_run = COALESCE($next, next_run) WHERE name = $name",
        ("$name", name), ("$last", JobDatabase.FormatTime(lastRun)), ("$next", nextRun is { } next ? JobDatabase.FormatTime(next) : null)));

    /// <summary>
    /// Files the schedule need not hand out again, by path: those of completed jobs, and those of jobs still queued or
    /// running. Files of failed or cancelled jobs are left out, so the next run takes them again.
    /// </summary>
    public IReadOnlyDictionary<string, ScheduleFile> TakenFiles(string name) => database.Read(c =>
    {
        using var command = JobDatabase.Command(c, null,
            "SELECT f.path, f.size, f.mtime_ticks FROM schedule_files f LEFT JOIN jobs j ON j.id = f.job_id " +
            "WHERE f.schedule = $name AND (f.done = 1 OR j.state IN ('queued', 'running'))",
            ("$name", name));
        using var reader = command.ExecuteReader();
        var files = new Dictionary<string, ScheduleFile>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var file = new ScheduleFile(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
            files[file.Path] = file;
        }

        return files;
    });

    private static ScheduleInfo ReadSchedule(SqliteDataReader r)
    {
        return new ScheduleInfo
        {
            Name = r.GetString(0),
            Template = ServiceJsonContext.TemplateFromJson(r.GetString(1)),
            IntervalSeconds = r.IsDBNull(2) ? null : r.GetInt64(2),
            Cron = JobDatabase.Text(r, 3),
            NextRun = JobDatabase.ParseTime(r.GetString(4)),
            LastRun = JobDatabase.ParseTime(r, 5),
            Enabled = r.GetInt64(6) != 0,
            Created = JobDatabase.ParseTime(r.GetString(7)),
        };
    }
}

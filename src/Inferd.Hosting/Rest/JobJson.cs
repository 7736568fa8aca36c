using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Inferd.Batch.Service;

namespace Inferd.Hosting.Rest;

/// <summary>The JSON answers of the job and schedule endpoints (snake_case; absent values are null).</summary>
internal static class JobJson
{
    /// <summary>One job.</summary>
    public static ReadOnlyMemory<byte> Job(JobInfo job) => Build(w => WriteJob(w, job));

    /// <summary><c>{"jobs": [...]}</c>.</summary>
    public static ReadOnlyMemory<byte> Jobs(IReadOnlyList<JobInfo> jobs) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("jobs");
        foreach (var job in jobs)
        {
            WriteJob(w, job);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>One schedule.</summary>
    public static ReadOnlyMemory<byte> Schedule(ScheduleInfo schedule) => Build(w => WriteSchedule(w, schedule));

    /// <summary><c>{"schedules": [...]}</c>.</summary>
    public static ReadOnlyMemory<byte> Schedules(IReadOnlyList<ScheduleInfo> schedules) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("schedules");
        foreach (var schedule in schedules)
        {
            WriteSchedule(w, schedule);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>The answer of a schedule run: <c>{"schedule": name, "job": job or null}</c>.</summary>
    public static ReadOnlyMemory<byte> Run(string schedule, JobInfo? job) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("schedule", schedule);
        w.WritePropertyName("job");
        if (job is null)
        {
            w.WriteNullValue();
        }
        else
        {
            WriteJob(w, job);
        }

        w.WriteEndObject();
    });

    private static void WriteJob(Utf8JsonWriter w, JobInfo job)
    {
        w.WriteStartObject();
        w.WriteString("id", job.Id);
        w.WriteString("model", job.Model);
        w.WriteString("version", job.Version);
        w.WriteString("input", job.Input);
        w.WriteString("output", job.Output);
        w.WriteString("state", job.State.ToName());
        Time(w, "created", job.Created);
        Time(w, "started", job.Started);
        Time(w, "finished", job.Finished);
        w.WriteNumber("rows_in", job.RowsIn);
        w.WriteNumber("rows_out", job.RowsOut);
        w.WriteNumber("errors", job.Errors);
        w.WriteNumber("bytes_read", job.BytesRead);
        w.WriteNumber("bytes_total", job.BytesTotal);
        w.WriteNumber("progress", Math.Round(job.Progress, 4));
        w.WriteNumber("rows_per_second", Math.Round(job.RowsPerSecond, 1));
        w.WriteString("message", job.Message);
        w.WriteString("schedule", job.Schedule);
        w.WriteEndObject();
    }

    private static void WriteSchedule(Utf8JsonWriter w, ScheduleInfo schedule)
    {
        var t = schedule.Template;
        w.WriteStartObject();
        w.WriteString("name", schedule.Name);
        w.WriteString("model", t.Model);
        w.WriteString("version", t.Version);
        w.WriteString("input", t.Input);
        w.WriteString("output", t.Output);
        w.WriteString("input_format", t.InputFormat);
        w.WriteString("output_format", t.OutputFormat);
        w.WriteString("id_column", t.IdColumn);
        w.WriteStartObject("input_map");
        foreach (var (input, columns) in t.InputMap)
        {
            w.WriteStartArray(input);
            foreach (var column in columns)
            {
                w.WriteStringValue(column);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteStartObject("output_map");
        foreach (var (output, column) in t.OutputMap)
        {
            w.WriteString(output, column);
        }

        w.WriteEndObject();
        Number(w, "shard_rows", t.ShardRows);
        Number(w, "max_errors", t.MaxErrors);
        Number(w, "batch_size", t.BatchSize);
        Number(w, "interval_seconds", schedule.IntervalSeconds);
        w.WriteString("cron", schedule.Cron);
        Time(w, "next_run", schedule.NextRun == DateTimeOffset.MaxValue ? null : schedule.NextRun);
        Time(w, "last_run", schedule.LastRun);
        w.WriteBoolean("enabled", schedule.Enabled);
        Time(w, "created", schedule.Created);
        w.WriteEndObject();
    }

    private static void Time(Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            w.WriteString(name, value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static ReadOnlyMemory<byte> Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }
}

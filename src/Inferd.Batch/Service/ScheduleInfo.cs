namespace Inferd.Batch.Service;

/// <summary>A schedule as the store holds it.</summary>
public sealed record ScheduleInfo
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>The job each run submits (input and output folders relative to the data folder).</summary>
    public required JobRequest Template { get; init; }

    /// <summary>Seconds between runs, or null for a cron schedule.</summary>
    public long? IntervalSeconds { get; init; }

    /// <summary>Cron expression (five fields, UTC), or null for an interval schedule.</summary>
    public string? Cron { get; init; }

    /// <summary>When it runs next.</summary>
    public required DateTimeOffset NextRun { get; init; }

    /// <summary>When it last ran (on time or on request), or null.</summary>
    public DateTimeOffset? LastRun { get; init; }

    /// <summary>Whether due times run it.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>When it was created.</summary>
    public required DateTimeOffset Created { get; init; }
}

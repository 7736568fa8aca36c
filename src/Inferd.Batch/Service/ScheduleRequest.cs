namespace Inferd.Batch.Service;

/// <summary>
/// A schedule as a client defines it: on each due time, one job over the files that arrived in
/// <see cref="JobRequest.Input"/> (a folder) since the last run, written to a new folder under
/// <see cref="JobRequest.Output"/>. Exactly one of <see cref="IntervalSeconds"/> and <see cref="Cron"/> is set.
/// </summary>
public sealed record ScheduleRequest
{
    /// <summary>Name: letters, digits, '-', '_' and '.', at most 64, not starting with '.'.</summary>
    public required string Name { get; init; }

    /// <summary>The job each run submits; its input and output are folders.</summary>
    public required JobRequest Template { get; init; }

    /// <summary>Seconds between runs, or null.</summary>
    public long? IntervalSeconds { get; init; }

    /// <summary>A five-field cron expression evaluated in UTC, or null.</summary>
    public string? Cron { get; init; }
}

namespace Inferd.Batch.Service;

/// <summary>Settings of the server's job service.</summary>
public sealed record BatchJobManagerOptions
{
    /// <summary>The data folder: every job path is relative to it and stays inside it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The SQLite file holding jobs and schedules; null for <c>DataDirectory/.inferd/jobs.db</c>.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>Jobs that run at the same time; the rest wait in submission order.</summary>
    public int MaxConcurrentJobs { get; init; } = 1;

    /// <summary>Least time between two progress writes of one job to the database.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A schedule takes a file only once it has been unchanged this long, so a file still being copied in is left
    /// for the next run.
    /// </summary>
    public TimeSpan MinFileAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The database path in effect.</summary>
    public string EffectiveDatabasePath => DatabasePath ?? Path.Combine(DataDirectory, DataFolder.ReservedName, "jobs.db");
}

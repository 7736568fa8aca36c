namespace Inferd.Batch.Service;

/// <summary>A job as the store holds it: what was asked, where it is, how far it got.</summary>
public sealed record JobInfo
{
    /// <summary>The job's id: 16 lower-case letters and digits, roughly ordered by creation.</summary>
    public required string Id { get; init; }

    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>Model version asked for, or null.</summary>
    public string? Version { get; init; }

    /// <summary>Input path relative to the data folder (a schedule's input folder for scheduled jobs).</summary>
    public required string Input { get; init; }

    /// <summary>Output path relative to the data folder.</summary>
    public required string Output { get; init; }

    /// <summary>Current state.</summary>
    public required JobState State { get; init; }

    /// <summary>When it was submitted.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When its latest run started, or null while it never ran.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>When it reached a final state, or null.</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>Rows read, all runs together.</summary>
    public long RowsIn { get; init; }

    /// <summary>Rows written, all runs together.</summary>
    public long RowsOut { get; init; }

    /// <summary>Rows sent to the error file, all runs together.</summary>
    public long Errors { get; init; }

    /// <summary>Input bytes consumed by the latest run.</summary>
    public long BytesRead { get; init; }

    /// <summary>Input bytes in all.</summary>
    public long BytesTotal { get; init; }

    /// <summary>Rows per second of the latest run.</summary>
    public double RowsPerSecond { get; init; }

    /// <summary>Why it failed or was cancelled, or a note on a resumed run; null otherwise.</summary>
    public string? Message { get; init; }

    /// <summary>The schedule that submitted it, or null.</summary>
    public string? Schedule { get; init; }

    /// <summary>Fraction done, 0 to 1, from input bytes (1 once completed).</summary>
    public double Progress => State == JobState.Completed ? 1 : BytesTotal > 0 ? Math.Min(1, (double)BytesRead / BytesTotal) : 0;
}

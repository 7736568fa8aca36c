namespace Inferd.Batch.Jobs;

/// <summary>How a run of a job ended.</summary>
/// <param name="RowsIn">Rows read and converted by this run.</param>
/// <param name="RowsOut">Rows written by this run.</param>
/// <param name="Errors">Rows sent to the error file by this run.</param>
/// <param name="RowsAlreadyDone">Rows of shards an earlier run had committed (skipped by this one).</param>
/// <param name="TotalRowsOut">Output rows of the whole job, all runs together.</param>
/// <param name="TotalErrors">Error rows of the whole job, all runs together.</param>
/// <param name="ShardsCommitted">Shards this run committed.</param>
/// <param name="ShardsRedone">Committed shards found corrupt or missing and scored again.</param>
/// <param name="Elapsed">Duration of this run.</param>
/// <param name="OutputPath">The output file or folder.</param>
/// <param name="ErrorsPath">The error file or folder, or null when no row failed.</param>
public sealed record BatchJobSummary(
    long RowsIn,
    long RowsOut,
    long Errors,
    long RowsAlreadyDone,
    long TotalRowsOut,
    long TotalErrors,
    int ShardsCommitted,
    int ShardsRedone,
    TimeSpan Elapsed,
    string OutputPath,
    string? ErrorsPath)
{
    /// <summary>Rows per second of this run.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsIn / Elapsed.TotalSeconds : 0;
}

namespace Inferd.Batch.Jobs;

/// <summary>A snapshot of a running job.</summary>
/// <param name="RowsRead">Rows read and converted by this run (excluding skipped ones).</param>
/// <param name="RowsWritten">Rows whose output is committed, this run and earlier runs together.</param>
/// <param name="Errors">Rows that went to the error file, this run and earlier runs together.</param>
/// <param name="RowsSkipped">Rows passed over because their shard was committed by an earlier run or belongs to another worker.</param>
/// <param name="BytesRead">Input bytes consumed.</param>
/// <param name="BytesTotal">Input bytes in all.</param>
/// <param name="ShardsCommitted">Shards committed, this run and earlier together.</param>
/// <param name="Elapsed">Time since this run started.</param>
public sealed record BatchProgress(
    long RowsRead,
    long RowsWritten,
    long Errors,
    long RowsSkipped,
    long BytesRead,
    long BytesTotal,
    int ShardsCommitted,
    TimeSpan Elapsed)
{
    /// <summary>Rows scored per second by this run.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsRead / Elapsed.TotalSeconds : 0;

    /// <summary>Fraction of the input consumed, 0 to 1.</summary>
    public double Fraction => BytesTotal > 0 ? Math.Min(1, (double)BytesRead / BytesTotal) : 0;
}

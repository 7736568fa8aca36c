namespace Inferd.Batch.Jobs;

/// <summary>A committed shard, as one line of the manifest.</summary>
/// <param name="Shard">Shard number (global across input files, from 0).</param>
/// <param name="InputFile">Input file (relative name) the shard was cut from.</param>
/// <param name="FirstRow">First input row of the shard (from 1).</param>
/// <param name="RowsIn">Input rows the shard covers.</param>
/// <param name="RowsOut">Output rows written.</param>
/// <param name="Errors">Rows sent to the error part.</param>
/// <param name="Part">Output part file name.</param>
/// <param name="PartBytes">Its length.</param>
/// <param name="PartSha256">Its SHA-256, hex.</param>
/// <param name="ErrorPart">Error part file name, or null when no row failed.</param>
/// <param name="ErrorBytes">Its length.</param>
/// <param name="ErrorSha256">Its SHA-256, hex, or null.</param>
internal sealed record ShardRecord(
    long Shard,
    string InputFile,
    long FirstRow,
    long RowsIn,
    long RowsOut,
    long Errors,
    string Part,
    long PartBytes,
    string PartSha256,
    string? ErrorPart,
    long ErrorBytes,
    string? ErrorSha256);

namespace Inferd.Monitoring.PredictionLog;

/// <summary>How big the log is.</summary>
/// <param name="Records">Number of records.</param>
/// <param name="Bytes">Bytes on disk (SQLite file and WAL) or the table's total relation size (PostgreSQL).</param>
/// <param name="Oldest">Timestamp of the oldest record, or null when empty.</param>
public sealed record PredictionLogSize(long Records, long Bytes, DateTimeOffset? Oldest);

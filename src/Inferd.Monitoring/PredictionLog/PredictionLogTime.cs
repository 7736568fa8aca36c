namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// The stored form of a time: microseconds since the Unix epoch, UTC, as a 64-bit integer. Integers sort and compare
/// the same in SQLite and PostgreSQL and keep the latency unit; sub-microsecond ticks are dropped.
/// </summary>
internal static class PredictionLogTime
{
    /// <summary>Microseconds since 1970-01-01T00:00:00Z.</summary>
    public static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The time of a stored value.</summary>
    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}

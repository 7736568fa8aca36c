using System.Data.Common;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// Reads a record from a row of either store. Both stores select the same columns in this order: request_id, model,
/// version, ts (µs), latency_us, caller, inputs, outputs, truth, feedback_at (µs).
/// </summary>
internal static class PredictionRecordReader
{
    public static PredictionRecord Read(DbDataReader reader) =>
        new(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            PredictionLogTime.FromMicros(reader.GetInt64(3)),
            reader.GetInt64(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.GetString(6),
            reader.GetString(7))
        {
            TruthJson = reader.IsDBNull(8) ? null : reader.GetString(8),
            FeedbackAt = reader.IsDBNull(9) ? null : PredictionLogTime.FromMicros(reader.GetInt64(9)),
        };
}

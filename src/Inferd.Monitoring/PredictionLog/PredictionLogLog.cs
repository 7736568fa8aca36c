using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>Log events of the prediction log (ids 7100-7199).</summary>
internal static partial class PredictionLogLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Prediction log: {Kind} ({Target}), {Mode} mode")]
    public static partial void Opened(ILogger logger, string kind, string target, string mode);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Prediction log: {Count} records could not be stored")]
    public static partial void AppendFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Prediction log: the monitoring section of {Model} is invalid; its requests are not logged: {Reason}")]
    public static partial void BadConfig(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Prediction log: the queue is full ({Capacity} records); dropping new records (counted in inferd_prediction_log_dropped_total)")]
    public static partial void QueueFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Information, Message = "Prediction log retention: deleted {Deleted} records; {Records} records, {Bytes} bytes remain")]
    public static partial void Retained(ILogger logger, long deleted, long records, long bytes);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Warning, Message = "Prediction log retention failed")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7107, Level = LogLevel.Information, Message = "Prediction log: no hash key configured (INFERD_LOG_HASH_KEY); using the key stored in the log")]
    public static partial void StoredHashKey(ILogger logger);

    [LoggerMessage(EventId = 7108, Level = LogLevel.Warning, Message = "Prediction log unavailable for {Path}")]
    public static partial void StoreUnavailable(ILogger logger, string path, Exception exception);
}

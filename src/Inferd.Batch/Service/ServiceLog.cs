using Microsoft.Extensions.Logging;

namespace Inferd.Batch.Service;

/// <summary>Source-generated log messages of the server's job service (event ids 5000–5099).</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Job service started on {DataDirectory} with {Workers} worker(s); {Requeued} interrupted job(s) requeued")]
    public static partial void Started(ILogger logger, string dataDirectory, int workers, int requeued);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Job {JobId} queued: model {Model}, output {Output}")]
    public static partial void Queued(ILogger logger, string jobId, string model, string output);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Job {JobId} completed: {RowsOut} rows written, {Errors} errors")]
    public static partial void Completed(ILogger logger, string jobId, long rowsOut, long errors);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Job {JobId} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Error, Message = "Job {JobId} failed unexpectedly")]
    public static partial void FailedUnexpectedly(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Job {JobId} cancelled")]
    public static partial void Cancelled(ILogger logger, string jobId);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Job {JobId} interrupted by the server stopping; it resumes at the next start")]
    public static partial void Interrupted(ILogger logger, string jobId);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Error, Message = "Job worker error on job {JobId}")]
    public static partial void WorkerError(ILogger logger, string jobId, Exception exception);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Schedule {Schedule} submitted job {JobId} over {Files} file(s)")]
    public static partial void ScheduleSubmitted(ILogger logger, string schedule, string jobId, int files);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, Message = "Schedule {Schedule} could not run: {Reason}")]
    public static partial void ScheduleFailed(ILogger logger, string schedule, string reason);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "Schedule timer error")]
    public static partial void TimerError(ILogger logger, Exception exception);
}

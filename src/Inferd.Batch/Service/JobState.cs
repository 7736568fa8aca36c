namespace Inferd.Batch.Service;

/// <summary>Where a job is in its life. Stored and shown in lower case (<c>queued</c>, <c>running</c>, ...).</summary>
public enum JobState
{
    /// <summary>Waiting for a free worker; also a job interrupted by a stopped server, until it resumes.</summary>
    Queued,

    /// <summary>A worker is scoring it.</summary>
    Running,

    /// <summary>Every row was scored or sent to the error file.</summary>
    Completed,

    /// <summary>Stopped by a problem; <see cref="JobInfo.Message"/> says which.</summary>
    Failed,

    /// <summary>Stopped on request. Committed output stays.</summary>
    Cancelled,
}

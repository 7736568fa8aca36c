namespace Inferd.Core.Scheduling;

/// <summary>Why a request failed, for the failure counters (the reasons of Triton's failure metric, plus timeouts).</summary>
internal enum FailureReason
{
    /// <summary>Refused before queueing: invalid input, queue full, model not ready.</summary>
    Rejected,
    /// <summary>The caller cancelled or went away.</summary>
    Cancelled,
    /// <summary>A timeout or deadline passed.</summary>
    TimedOut,
    /// <summary>The model run failed.</summary>
    Backend,
    /// <summary>Anything else.</summary>
    Other,
}

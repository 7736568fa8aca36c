namespace Inferd.Abstractions.Inference;

/// <summary>The one error taxonomy; each protocol maps it exactly once (protocol.md §8).</summary>
public enum InferenceErrorKind
{
    /// <summary>Shape, datatype, size, JSON or parameter problem in the request: 400 / INVALID_ARGUMENT.</summary>
    InvalidInput,
    /// <summary>Body or message beyond a limit: 413 / RESOURCE_EXHAUSTED.</summary>
    PayloadTooLarge,
    /// <summary>Unknown model or version (also "not allowed to see"): 404 / NOT_FOUND.</summary>
    ModelNotFound,
    /// <summary>Model or server not ready: 503 / UNAVAILABLE.</summary>
    ModelNotReady,
    /// <summary>Queue full: 503 with Retry-After / UNAVAILABLE (as Triton).</summary>
    Overloaded,
    /// <summary>Timeout parameter or deadline passed: 504 / DEADLINE_EXCEEDED.</summary>
    DeadlineExceeded,
    /// <summary>The client went away: CANCELLED.</summary>
    Cancelled,
    /// <summary>A feature Inferd deliberately does not offer: 501 / UNIMPLEMENTED.</summary>
    Unsupported,
    /// <summary>Model control is disabled or the caller lacks the scope: 403 / PERMISSION_DENIED.</summary>
    Forbidden,
    /// <summary>Anything else; the message is generic and details go to the log: 500 / INTERNAL.</summary>
    Internal,
}

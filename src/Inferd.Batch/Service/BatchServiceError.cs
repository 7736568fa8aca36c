namespace Inferd.Batch.Service;

/// <summary>What kind of problem a <see cref="BatchServiceException"/> reports; each maps to one HTTP status.</summary>
public enum BatchServiceError
{
    /// <summary>No job, schedule or model by that name (404).</summary>
    NotFound,

    /// <summary>The request clashes with the current state: a finished job cancelled, a schedule name taken (409).</summary>
    Conflict,
}

namespace Inferd.Batch.Service;

/// <summary>
/// A job-API request that names something missing or clashes with the current state. Malformed requests throw
/// <see cref="Jobs.BatchJobException"/> instead.
/// </summary>
public sealed class BatchServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BatchServiceException(BatchServiceError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>The kind of problem.</summary>
    public BatchServiceError Error { get; }
}

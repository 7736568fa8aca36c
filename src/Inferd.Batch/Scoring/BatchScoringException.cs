namespace Inferd.Batch.Scoring;

/// <summary>A scoring request failed.</summary>
public sealed class BatchScoringException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, from the server or the facade.</param>
    /// <param name="retryable">True when the same request may succeed later (queue full, model loading, server unreachable).</param>
    /// <param name="rowsAtFault">True when the request's content was refused (400 / INVALID_ARGUMENT): a row is bad, so the batch is retried row by row to find it.</param>
    /// <param name="innerException">The underlying error.</param>
    public BatchScoringException(string message, bool retryable, bool rowsAtFault, Exception? innerException = null)
        : base(message, innerException)
    {
        Retryable = retryable;
        RowsAtFault = rowsAtFault;
    }

    /// <summary>The same request may succeed later.</summary>
    public bool Retryable { get; }

    /// <summary>The request's rows were refused; one of them is bad.</summary>
    public bool RowsAtFault { get; }
}

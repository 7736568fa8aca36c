namespace Inferd.Batch.Jobs;

/// <summary>
/// A job cannot start or must stop: a bad spec, a mapping that does not fit the model, an output written by a
/// different spec, too many bad rows. The message is for the user and names what to change.
/// </summary>
public sealed class BatchJobException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BatchJobException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

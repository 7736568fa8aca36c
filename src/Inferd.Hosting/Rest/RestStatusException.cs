namespace Inferd.Hosting.Rest;

/// <summary>An HTTP-only failure with no row in the error taxonomy (415 for a compressed body, 404/405 routing).</summary>
/// <param name="status">HTTP status.</param>
/// <param name="message">Message safe to show to the client.</param>
internal sealed class RestStatusException(int status, string message) : Exception(message)
{
    /// <summary>HTTP status to answer with.</summary>
    public int Status { get; } = status;
}

namespace Inferd.Core.Inference;

/// <summary>Server-wide inference settings.</summary>
/// <param name="ResponseCacheBytes">Size of the response cache shared by models that enable it; 0 turns it off.</param>
public sealed record InferenceOptions(long ResponseCacheBytes = 0)
{
    /// <summary>No response cache.</summary>
    public static InferenceOptions Default { get; } = new();

    /// <summary>Observers called, in order, for every answered request (prediction log, drift); none by default.</summary>
    public IReadOnlyList<IInferenceObserver> Observers { get; init; } = [];
}

namespace Inferd.Abstractions.Models;

/// <summary>One row of the repository index.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Version">Version, or empty for a model with no version loaded.</param>
/// <param name="State">State.</param>
/// <param name="Reason">Why it is in this state (empty when ready).</param>
public sealed record RepositoryIndexEntry(string Name, string Version, ModelState State, string Reason)
{
    /// <summary>The state as Triton spells it: READY, UNAVAILABLE, LOADING, UNLOADING.</summary>
    public string StateName => State switch
    {
        ModelState.Ready => "READY",
        ModelState.Loading => "LOADING",
        ModelState.Unloading => "UNLOADING",
        _ => "UNAVAILABLE",
    };
}

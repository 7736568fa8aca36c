namespace Inferd.Client;

/// <summary>One row of the repository index (protocol.md §7.1).</summary>
/// <param name="Name">Model name.</param>
/// <param name="Version">Version, or empty when the server reports none.</param>
/// <param name="State">State as sent: <c>READY</c>, <c>LOADING</c>, <c>UNLOADING</c>, <c>UNAVAILABLE</c> or <c>UNKNOWN</c>.</param>
/// <param name="Reason">Why the model is not ready; empty otherwise.</param>
public sealed record ClientRepositoryEntry(string Name, string Version, string State, string Reason);

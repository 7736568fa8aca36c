namespace Inferd.Client;

/// <summary>An output the caller asks for (<c>$request_output</c>, protocol.md §4).</summary>
/// <param name="Name">Output name.</param>
/// <param name="ClassificationCount">
/// When set, asks the server for the top-N classes instead of the raw tensor (classification extension, §7.4); the
/// output then comes back as a BYTES tensor of <c>"value:index[:label]"</c> strings.
/// </param>
public sealed record ClientRequestedOutput(string Name, int? ClassificationCount = null);

namespace Inferd.Abstractions.Models;

/// <summary>Server metadata: name, version and the protocol extensions that work.</summary>
/// <param name="Name">Server name ("inferd").</param>
/// <param name="Version">Server version.</param>
/// <param name="Extensions">Extension strings as clients branch on them (protocol.md §7.11).</param>
public sealed record ServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

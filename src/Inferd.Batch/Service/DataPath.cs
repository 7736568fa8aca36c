namespace Inferd.Batch.Service;

/// <summary>A path inside the data folder, resolved by <see cref="DataFolder.Resolve"/>.</summary>
/// <param name="Relative">The normalized relative form (forward slashes, no '.' or empty segments), as stored and shown.</param>
/// <param name="FullPath">The path under the configured root, as jobs open it.</param>
/// <param name="RealPath">The path with every symbolic link resolved, for containment checks.</param>
internal sealed record DataPath(string Relative, string FullPath, string RealPath);

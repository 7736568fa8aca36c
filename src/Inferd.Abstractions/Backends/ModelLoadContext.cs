using Inferd.Abstractions.Configuration;

namespace Inferd.Abstractions.Backends;

/// <summary>What a backend needs to load one version of one model.</summary>
/// <param name="ModelName">Model name.</param>
/// <param name="Version">Version number as a string.</param>
/// <param name="ModelFilePath">Absolute path of the validated model file inside the repository.</param>
/// <param name="Config">The config as written by the user (not yet completed from the file).</param>
public sealed record ModelLoadContext(string ModelName, string Version, string ModelFilePath, ModelConfig Config);

namespace Inferd.Monitoring.Drift;

/// <summary>
/// What a model's inputs and outputs looked like on training or baseline data, written by <c>inferd profile</c> to
/// <c>&lt;repository&gt;/&lt;model&gt;/profile.json</c> (format: docs/drift.md). Live traffic is compared with it.
/// </summary>
/// <param name="Model">The model profiled.</param>
/// <param name="Version">The version that produced the outputs.</param>
/// <param name="Created">When the profile was built.</param>
/// <param name="Rows">Rows profiled.</param>
/// <param name="Inputs">Input features, in the order of the model's inputs.</param>
/// <param name="Outputs">Output ("prediction") features.</param>
internal sealed record ReferenceProfile(string Model, string Version, DateTimeOffset Created, long Rows, IReadOnlyList<FeatureProfile> Inputs, IReadOnlyList<FeatureProfile> Outputs)
{
    /// <summary>Features left out of the profile.</summary>
    public IReadOnlyList<SkippedFeature> Skipped { get; init; } = [];
}

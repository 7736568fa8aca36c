namespace Inferd.Explain;

/// <summary>One feature's share of an explanation.</summary>
/// <param name="Name">Feature name (an input, a vector element, a word, a superpixel).</param>
/// <param name="Value">The feature's value in the explained row, as shown to people.</param>
/// <param name="Attribution">SHAP value, or LIME weight times the feature's interpretable value.</param>
internal sealed record FeatureAttribution(string Name, string Value, double Attribution)
{
    /// <summary>Standard error of a sampled estimate; null when exact.</summary>
    public double? Error { get; init; }

    /// <summary>LIME: the local linear model's coefficient (per unit for numbers, for presence for the rest).</summary>
    public double? Weight { get; init; }
}

namespace Inferd.Monitoring.Drift;

/// <summary>The reference of one feature.</summary>
/// <param name="Tensor">The tensor the feature comes from.</param>
/// <param name="Index">Element of a row, or -1 when the tensor has one element per row.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Count">Values present (not missing) in the reference.</param>
/// <param name="MissingRate">Share of reference rows where the value was missing (NaN, infinite or an empty string).</param>
internal sealed record FeatureProfile(string Tensor, int Index, FeatureKind Kind, long Count, double MissingRate)
{
    /// <summary>The feature's name (see <see cref="FeatureExtractor.FeatureName"/>).</summary>
    public string Name => FeatureExtractor.FeatureName(Tensor, Index);

    /// <summary>The statistics of a numeric feature; null for a categorical one.</summary>
    public NumericProfile? Numeric { get; init; }

    /// <summary>The frequencies of a categorical feature; null for a numeric one.</summary>
    public CategoricalProfile? Categorical { get; init; }
}

namespace Inferd.Monitoring.Drift;

/// <summary>How one feature's live window compares with its reference.</summary>
internal sealed record FeatureDrift
{
    /// <summary>The feature's name.</summary>
    public required string Name { get; init; }

    /// <summary>Numeric or categorical.</summary>
    public required FeatureKind Kind { get; init; }

    /// <summary><c>ks</c> (Kolmogorov–Smirnov, numeric) or <c>chi2</c> (chi-square, categorical).</summary>
    public string Test => Kind == FeatureKind.Numeric ? "ks" : "chi2";

    /// <summary>The test's statistic: KS D, or χ²; 0 without live values.</summary>
    public required double Statistic { get; init; }

    /// <summary>The test's p-value; NaN without live values.</summary>
    public required double PValue { get; init; }

    /// <summary>Population stability index over the reference bins.</summary>
    public required double Psi { get; init; }

    /// <summary>Whether the feature had enough live values (min_rows) for a verdict.</summary>
    public required bool HasVerdict { get; init; }

    /// <summary>Whether the feature drifted: p-value below the Bonferroni-corrected alpha, or PSI at or above the threshold.</summary>
    public required bool Flagged { get; init; }

    /// <summary>Live values in the window.</summary>
    public required long LiveCount { get; init; }

    /// <summary>Values in the reference.</summary>
    public required long ReferenceCount { get; init; }

    /// <summary>Share of live values missing or NaN since the window started.</summary>
    public required double LiveMissingRate { get; init; }

    /// <summary>Share of reference rows missing.</summary>
    public required double ReferenceMissingRate { get; init; }

    /// <summary>Bin labels: <c>≤ edge</c> and <c>&gt; edge</c> for numbers, category names (and <c>__other__</c>) for categories.</summary>
    public required IReadOnlyList<string> BinLabels { get; init; }

    /// <summary>Share of the reference in each bin.</summary>
    public required IReadOnlyList<double> ReferenceFractions { get; init; }

    /// <summary>Share of the live window in each bin (zeros without live values).</summary>
    public required IReadOnlyList<double> LiveFractions { get; init; }

    /// <summary>Data-quality counts since the window started.</summary>
    public required DataQuality Quality { get; init; }
}

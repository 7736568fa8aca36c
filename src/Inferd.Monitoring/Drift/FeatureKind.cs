namespace Inferd.Monitoring.Drift;

/// <summary>How a feature's values are profiled and compared with the reference.</summary>
internal enum FeatureKind
{
    /// <summary>Numbers: quantile sketch and Kolmogorov–Smirnov, decile bins for PSI.</summary>
    Numeric,

    /// <summary>Strings and booleans: category frequencies and chi-square.</summary>
    Categorical,
}

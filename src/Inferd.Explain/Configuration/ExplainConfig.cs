namespace Inferd.Explain.Configuration;

/// <summary>A model's parsed <c>explain</c> section.</summary>
internal sealed record ExplainConfig
{
    /// <summary>The section of a model without one: no background, the server's budget, kernel_shap by default.</summary>
    public static ExplainConfig Default { get; } = new();

    /// <summary>Where the background data set comes from; null means none configured.</summary>
    public BackgroundConfig? Background { get; init; }

    /// <summary>Names of the elements of a single feature-vector input, in order; null means <c>input[i]</c>.</summary>
    public IReadOnlyList<string>? FeatureNames { get; init; }

    /// <summary>The method used when a request names none; null means tree_shap for a tree ensemble, else kernel_shap.</summary>
    public string? Method { get; init; }

    /// <summary>This model's budget of model evaluations per explanation; never above the server's.</summary>
    public long? Budget { get; init; }
}

/// <summary>The background data set: rows the explained row is compared with (SHAP) or sampled around (LIME).</summary>
internal sealed record BackgroundConfig
{
    /// <summary>A JSON Lines file inside the model's directory: one object per row keyed by input name.</summary>
    public string? File { get; init; }

    /// <summary>Sample the rows from the prediction log (logged traffic of this model) instead of a file.</summary>
    public bool PredictionLog { get; init; }

    /// <summary>Rows kept (sampled without replacement with <see cref="Seed"/> when the source has more).</summary>
    public int Rows { get; init; } = 100;

    /// <summary>Seed of the sample.</summary>
    public int Seed { get; init; } = 1;
}

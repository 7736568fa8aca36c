namespace Inferd.Explain;

/// <summary>The answer to one explanation request.</summary>
internal sealed record Explanation
{
    /// <summary>Model name.</summary>
    public required string ModelName { get; init; }

    /// <summary>Version that answered every evaluation.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>Method that ran (kernel_shap, tree_shap, lime_tabular, lime_text, lime_image).</summary>
    public required string Method { get; init; }

    /// <summary>Explained output.</summary>
    public required string Output { get; init; }

    /// <summary>Explained element of the output row.</summary>
    public int Target { get; init; }

    /// <summary>kernel_shap: exact or sampled; null for other methods.</summary>
    public string? Mode { get; init; }

    /// <summary>The explained number for the row: f(x).</summary>
    public double Prediction { get; init; }

    /// <summary>SHAP: E[f(background)], so attributions add up to prediction − base value.</summary>
    public double? BaseValue { get; init; }

    /// <summary>SHAP: |Σ attributions − (prediction − base value)|.</summary>
    public double? AdditivityError { get; init; }

    /// <summary>Sampled SHAP: the stated error bound of each attribution (the largest standard error times 3).</summary>
    public double? StatedError { get; init; }

    /// <summary>LIME: intercept of the local model.</summary>
    public double? Intercept { get; init; }

    /// <summary>LIME: weighted R² of the local model on its samples.</summary>
    public double? R2 { get; init; }

    /// <summary>Attributions, in the model's feature order (words in text order, superpixels by id).</summary>
    public IReadOnlyList<FeatureAttribution> Features { get; init; } = [];

    /// <summary>Model evaluations (rows) used, the explained row included.</summary>
    public long Evaluations { get; init; }

    /// <summary>Facade calls (batches) used, the explained row's included.</summary>
    public int Calls { get; init; }

    /// <summary>Samples drawn (sampled SHAP coalitions, LIME perturbations); null for exact methods.</summary>
    public int? Samples { get; init; }

    /// <summary>Where the background came from, when one was used.</summary>
    public string? Background { get; init; }

    /// <summary>Image LIME: a PNG heat map over the picture, when asked for.</summary>
    public byte[]? HeatmapPng { get; init; }

    /// <summary>Wall time of the explanation in milliseconds, queue wait excluded.</summary>
    public double DurationMs { get; init; }

    /// <summary>Time spent waiting in the explanation queue, in milliseconds.</summary>
    public double QueuedMs { get; init; }
}

using Inferd.Abstractions.Inference;

namespace Inferd.Explain;

/// <summary>What to explain and how: one row of inputs (as for inference) and the method's parameters.</summary>
/// <param name="Row">The row, as an inference request with a batch of one (or the model's unbatched shape).</param>
internal sealed record ExplanationRequest(InferenceRequest Row)
{
    /// <summary><c>kernel_shap</c>, <c>tree_shap</c>, <c>lime</c> (<c>lime_tabular</c>, <c>lime_text</c>, <c>lime_image</c>), or null for the model's default.</summary>
    public string? Method { get; init; }

    /// <summary>The explained output; null means the model's first numeric output.</summary>
    public string? Output { get; init; }

    /// <summary>Element of the output row (a class index); null means 0, or the largest element when the row has several.</summary>
    public int? Target { get; init; }

    /// <summary>Most model evaluations this explanation may use; capped by the model's and the server's budget.</summary>
    public long? Budget { get; init; }

    /// <summary>Sampled coalitions (kernel_shap sampled mode) or perturbed samples (LIME); null means the method's default.</summary>
    public int? Samples { get; init; }

    /// <summary><c>exact</c>, <c>sampled</c>, or null: exact when the features are few enough (kernel_shap).</summary>
    public string? Mode { get; init; }

    /// <summary>Seed of every random choice, so an explanation can be repeated exactly.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Background rows to use (at most the configured number); null means all configured.</summary>
    public int? BackgroundRows { get; init; }

    /// <summary>The input a text or image LIME perturbs; null means the model's only BYTES or image input.</summary>
    public string? Input { get; init; }

    /// <summary>Superpixels for image LIME; null means the method's default.</summary>
    public int? Segments { get; init; }

    /// <summary>Return a PNG heat map over the picture (image LIME).</summary>
    public bool Heatmap { get; init; }
}

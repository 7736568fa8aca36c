using System.Globalization;
using Inferd.Abstractions.Inference;
using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Lime;

/// <summary>
/// LIME (Ribeiro et al., 2016): perturb the explained row, evaluate the model on the perturbed samples, and fit a
/// linear model to them weighted by their closeness to the row; its coefficients are the explanation and its weighted
/// R² says how well a straight line describes the model near the row. Three variants: tabular rows (features sampled
/// from the background), text (words removed) and images (superpixels greyed out). <c>lime</c> picks one from the
/// model's inputs: image when an input holds a picture, text when the only input (or the one the request names) holds other bytes, tabular otherwise.
/// </summary>
internal sealed class LimeExplainer : IExplainer
{
    /// <summary>Samples when the request names none (LIME's default).</summary>
    public const int DefaultSamples = 1000;

    /// <summary>Fewest samples: below about ten the fit of even two features is mostly noise.</summary>
    public const int MinSamples = 10;

    /// <summary>Most samples: 100,000 rows is a tenth of the server's default budget.</summary>
    public const int MaxSamples = 100_000;

    /// <summary>Rows built and evaluated at a time, so image samples (a PNG or a tensor each) never pile up in memory.</summary>
    private const int Chunk = 256;

    /// <inheritdoc/>
    public IReadOnlyList<string> Methods { get; } = ["lime", "lime_tabular", "lime_text", "lime_image"];

    /// <inheritdoc/>
    public bool Supports(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return context.Layout.Count > 0;
        }
        catch (InferenceException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public Task<Explanation> ExplainAsync(ExplanationContext context, string method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var samples = SampleCount(context, method);
        var concrete = method == "lime" ? Pick(context) : method;
        return concrete switch
        {
            "lime_tabular" => LimeTabular.ExplainAsync(context, samples, cancellationToken),
            "lime_text" => LimeText.ExplainAsync(context, samples, cancellationToken),
            "lime_image" => LimeImage.ExplainAsync(context, samples, cancellationToken),
            _ => throw ExplanationContext.Invalid(method, "not a LIME method"),
        };
    }

    /// <summary>The samples the request asks for, checked.</summary>
    private static int SampleCount(ExplanationContext context, string method)
    {
        var samples = context.Request.Samples ?? DefaultSamples;
        return samples is >= MinSamples and <= MaxSamples
            ? samples
            : throw ExplanationContext.Invalid(method, string.Create(CultureInfo.InvariantCulture, $"parameter 'samples' must be from {MinSamples} to {MaxSamples:N0}; got {samples}"));
    }

    private static string Pick(ExplanationContext context)
    {
        if (LimeImage.FindInput(context, required: false) is not null)
        {
            return "lime_image";
        }

        return LimeText.IsTextModel(context) ? "lime_text" : "lime_tabular";
    }

    /// <summary>
    /// Evaluates <paramref name="samples"/> rows made by <paramref name="build"/> (called in order, so a shared random
    /// generator stays repeatable), <see cref="Chunk"/> rows at a time.
    /// </summary>
    internal static async Task<double[]> EvaluateAsync(ExplanationContext context, int samples, Func<int, InputRow> build, CancellationToken cancellationToken)
    {
        var results = new double[samples];
        var rows = new List<InputRow>(Math.Min(Chunk, samples));
        for (var start = 0; start < samples; start += Chunk)
        {
            rows.Clear();
            var count = Math.Min(Chunk, samples - start);
            for (var i = 0; i < count; i++)
            {
                rows.Add(build(start + i));
            }

            var values = await context.Evaluator.EvaluateAsync(rows, cancellationToken).ConfigureAwait(false);
            values.CopyTo(results, start);
        }

        return results;
    }

    /// <summary>A result with the local model's fields.</summary>
    internal static Explanation Result(ExplanationContext context, string method, LinearFit fit, int samples, IReadOnlyList<FeatureAttribution> features) =>
        context.Result(method) with { Intercept = fit.Intercept, R2 = fit.R2, Samples = samples, Features = features };
}

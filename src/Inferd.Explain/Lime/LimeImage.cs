using System.Globalization;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Images;

namespace Inferd.Explain.Lime;

/// <summary>
/// Image LIME: the picture (an encoded image in a BYTES input, or a [3,H,W] / [H,W,3] tensor) is cut into SLIC
/// superpixels (<c>segments</c>, default 50); each sample keeps a random subset of them (between one and all but one
/// off; the first sample keeps all) and fills the rest with the picture's mean colour, re-encoded as PNG or written
/// into the tensor. The local model is fitted on the 0/1 presence of each superpixel, weighted by the kernel of the
/// cosine distance to the full picture (width 0.25, as LIME's image explainer). <c>Weight</c> and <c>Attribution</c>
/// are both the superpixel's coefficient; a feature's value is its bounding box <c>x,y,w,h</c>.
/// </summary>
internal static class LimeImage
{
    /// <summary>Superpixels when the request names no number (LIME's quickshift gives a few dozen on a 224² picture).</summary>
    public const int DefaultSegments = 50;

    /// <summary>Most superpixels: the fit is cubic in their number.</summary>
    public const int MaxSegments = 500;

    private const string Method = "lime_image";

    /// <summary>
    /// The input holding the picture: the one the request names, else the first input that holds one; null when
    /// <paramref name="required"/> is false and none does.
    /// </summary>
    /// <exception cref="Abstractions.Inference.InferenceException">InvalidInput when required and there is no picture, naming the inputs.</exception>
    public static (int Input, Picture Picture)? FindInput(ExplanationContext context, bool required)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inputs = context.Config.Inputs;
        if (context.Request.Input is { } requested)
        {
            var index = inputs.ToList().FindIndex(i => i.Name == requested);
            if (index < 0)
            {
                return required
                    ? throw ExplanationContext.Invalid(Method, $"parameter 'input': model '{context.ModelName}' has no input '{requested}'; its inputs are {string.Join(", ", inputs.Select(i => i.Name))}")
                    : null;
            }

            var picture = Picture.TryRead(inputs[index], context.RowShapes[index], context.Row.Cells[index]);
            return picture is not null ? (index, picture)
                : required ? throw ExplanationContext.Invalid(Method, $"parameter 'input': input '{requested}' holds no picture (an encoded image in a BYTES element, or a [3,H,W] or [H,W,3] tensor with H and W of at least {Picture.MinSide})")
                : null;
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            if (Picture.TryRead(inputs[i], context.RowShapes[i], context.Row.Cells[i]) is { } picture)
            {
                return (i, picture);
            }
        }

        return required
            ? throw ExplanationContext.Invalid(Method, $"model '{context.ModelName}' has no input holding a picture (an encoded image in a BYTES element, or a [3,H,W] or [H,W,3] tensor with H and W of at least {Picture.MinSide}); its inputs are {string.Join(", ", inputs.Select((t, i) => $"{t.Name} {t.DataType.ToWireName()}[{string.Join(",", context.RowShapes[i])}]"))}")
            : null;
    }

    /// <summary>Explains the context's row.</summary>
    public static async Task<Explanation> ExplainAsync(ExplanationContext context, int samples, CancellationToken cancellationToken)
    {
        var requested = context.Request.Segments ?? DefaultSegments;
        if (requested is < 2 or > MaxSegments)
        {
            throw ExplanationContext.Invalid(Method, string.Create(CultureInfo.InvariantCulture, $"parameter 'segments' must be from 2 to {MaxSegments}; got {requested}"));
        }

        var (input, picture) = FindInput(context, required: true)!.Value;
        var segments = Slic.Segment(picture.Rgb, picture.Width, picture.Height, requested);
        context.Evaluator.Reserve(samples, string.Create(CultureInfo.InvariantCulture, $"lime_image with {samples:N0} samples over {segments.Count} superpixels"));
        var random = new Random(context.Request.Seed);
        var masks = new double[samples][];
        var values = await LimeExplainer.EvaluateAsync(context, samples, i =>
        {
            var on = i == 0 ? Enumerable.Repeat(true, segments.Count).ToArray() : LimeKernel.RandomMask(random, segments.Count);
            masks[i] = on.Select(b => b ? 1.0 : 0.0).ToArray();
            return i == 0 ? context.Row : context.Row.With(input, picture.Masked(segments.Labels, on));
        }, cancellationToken).ConfigureAwait(false);

        var weights = masks.Select(z => LimeKernel.Weight(LimeKernel.CosineToAllOnes((int)z.Sum(), z.Length), LimeKernel.ImageWidth)).ToArray();
        var fit = WeightedRidge.Fit(masks, values, weights);
        var boxes = segments.BoundingBoxes();
        var features = boxes.Select((box, s) => new FeatureAttribution(string.Create(CultureInfo.InvariantCulture, $"segment {s}"), box, fit.Coefficients[s]) { Weight = fit.Coefficients[s] }).ToArray();
        var result = LimeExplainer.Result(context, Method, fit, samples, features);
        return context.Request.Heatmap ? result with { HeatmapPng = Heatmap.Render(picture, segments, fit.Coefficients) } : result;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Lime;

/// <summary>
/// Text LIME: the features are the words of one BYTES input (split on white space, each position a feature of its
/// own, so a repeated word is two features); each sample removes a random subset of them (between one and all but
/// one; the first sample keeps every word) and joins the rest with single spaces. The local model is fitted on the
/// 0/1 presence of each word, weighted by the kernel of the cosine distance to the full text (× 100, width 25, as
/// LIME's text explainer). <c>Weight</c> and <c>Attribution</c> are both the word's coefficient (present = 1).
/// </summary>
internal static class LimeText
{
    /// <summary>Most words explained: the fit is cubic in the word count, and 500 words solve in well under a second.</summary>
    public const int MaxWords = 500;

    private const string Method = "lime_text";

    /// <summary>
    /// Whether <c>lime</c> should read the model as a text model: the request names a BYTES input, or the model's only
    /// input is one BYTES element per row. A BYTES input beside others is taken for a category of a tabular row.
    /// </summary>
    public static bool IsTextModel(ExplanationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inputs = context.Config.Inputs;
        return context.Request.Input is { } named
            ? inputs.Any(i => i.Name == named && i.DataType == DataType.Bytes)
            : inputs.Count == 1 && IsSingleBytes(context, 0);
    }

    /// <summary>Explains the context's row.</summary>
    public static async Task<Explanation> ExplainAsync(ExplanationContext context, int samples, CancellationToken cancellationToken)
    {
        var input = FindInput(context);
        var text = Decode(context.Row.Cells[input]);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var name = context.Config.Inputs[input].Name;
        if (words.Length == 0)
        {
            throw ExplanationContext.Invalid(Method, $"input '{name}' holds no words to remove");
        }

        if (words.Length > MaxWords)
        {
            throw ExplanationContext.Invalid(Method, string.Create(CultureInfo.InvariantCulture, $"input '{name}' holds {words.Length:N0} words; at most {MaxWords} can be explained"));
        }

        context.Evaluator.Reserve(samples, string.Create(CultureInfo.InvariantCulture, $"lime_text with {samples:N0} samples over {words.Length} words"));
        var random = new Random(context.Request.Seed);
        var masks = new double[samples][];
        var values = await LimeExplainer.EvaluateAsync(context, samples, i =>
        {
            var mask = i == 0 ? Enumerable.Repeat(true, words.Length).ToArray() : LimeKernel.RandomMask(random, words.Length);
            masks[i] = mask.Select(on => on ? 1.0 : 0.0).ToArray();
            var kept = words.Where((_, w) => mask[w]);
            return context.Row.With(input, Encode(string.Join(' ', kept)));
        }, cancellationToken).ConfigureAwait(false);

        var weights = masks.Select(z => LimeKernel.Weight(LimeKernel.TextDistanceScale * LimeKernel.CosineToAllOnes((int)z.Sum(), z.Length), LimeKernel.TextWidth)).ToArray();
        var fit = WeightedRidge.Fit(masks, values, weights);
        var features = words.Select((word, w) => new FeatureAttribution(word, w.ToString(CultureInfo.InvariantCulture), fit.Coefficients[w]) { Weight = fit.Coefficients[w] }).ToArray();
        return LimeExplainer.Result(context, Method, fit, samples, features);
    }

    private static int FindInput(ExplanationContext context)
    {
        var inputs = context.Config.Inputs;
        if (context.Request.Input is { } requested)
        {
            var index = inputs.ToList().FindIndex(i => i.Name == requested);
            if (index < 0)
            {
                throw ExplanationContext.Invalid(Method, $"parameter 'input': model '{context.ModelName}' has no input '{requested}'; its inputs are {string.Join(", ", inputs.Select(i => i.Name))}");
            }

            return IsSingleBytes(context, index)
                ? index
                : throw ExplanationContext.Invalid(Method, $"parameter 'input': input '{requested}' is {inputs[index].DataType.ToWireName()}[{string.Join(",", context.RowShapes[index])}]; text LIME needs a BYTES input with one element per row");
        }

        var candidates = Enumerable.Range(0, inputs.Count).Where(i => IsSingleBytes(context, i)).ToArray();
        return candidates.Length switch
        {
            1 => candidates[0],
            0 => throw ExplanationContext.Invalid(Method, $"model '{context.ModelName}' has no BYTES input holding text (one element per row); its inputs are {string.Join(", ", inputs.Select(i => $"{i.Name} {i.DataType.ToWireName()}"))}"),
            _ => throw ExplanationContext.Invalid(Method, $"model '{context.ModelName}' has several text inputs ({string.Join(", ", candidates.Select(i => inputs[i].Name))}); name one with parameter 'input'"),
        };
    }

    private static bool IsSingleBytes(ExplanationContext context, int input) =>
        context.Config.Inputs[input].DataType == DataType.Bytes && context.RowShapes[input].Aggregate(1L, (a, d) => a * d) == 1;

    /// <summary>The string of a one-element BYTES cell (4-byte little-endian length, then UTF-8).</summary>
    internal static string Decode(byte[] cell) =>
        cell.Length >= 4 ? Encoding.UTF8.GetString(cell, 4, Math.Min(cell.Length - 4, BinaryPrimitives.ReadInt32LittleEndian(cell))) : "";

    /// <summary>A one-element BYTES cell holding <paramref name="bytes"/>.</summary>
    internal static byte[] Cell(ReadOnlySpan<byte> bytes)
    {
        var cell = new byte[4 + bytes.Length];
        BinaryPrimitives.WriteInt32LittleEndian(cell, bytes.Length);
        bytes.CopyTo(cell.AsSpan(4));
        return cell;
    }

    private static byte[] Encode(string text) => Cell(Encoding.UTF8.GetBytes(text));
}

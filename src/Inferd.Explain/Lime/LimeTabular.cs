using System.Globalization;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Evaluation;
using Inferd.Explain.Tabular;

namespace Inferd.Explain.Lime;

/// <summary>
/// Tabular LIME. Numbers are sampled from a normal with each feature's background mean and standard deviation (a
/// feature with zero spread keeps the row's value); categories, strings and booleans are drawn from the background's
/// values. The first sample is the row itself. The local model is fitted on standardized numbers ((v − mean) / std)
/// and, for the rest, 1 when the sample's value equals the row's, else 0, weighted by the exponential kernel of the
/// standardized Euclidean distance from the row (width 0.75·√M).
/// <para>Reported per feature: <c>Weight</c>, the slope per unit of the feature for numbers (the standardized slope
/// divided by the std) and per presence of the row's value for the rest; <c>Attribution</c>, the weight times the
/// row's distance from the background mean (weight × (x − mean)) for numbers and the weight itself for the rest (the
/// row's indicator is 1), so attributions read like SHAP values against the background's mean.</para>
/// </summary>
internal static class LimeTabular
{
    /// <summary>
    /// Most features: the fit costs samples × M² / 2 to set up and M³ / 3 to solve, about 1.5·10⁹ operations (a second
    /// or two) for 1,000 features and 1,000 samples.
    /// </summary>
    public const int MaxFeatures = 1000;

    private const string Method = "lime_tabular";

    /// <summary>Explains the context's row.</summary>
    public static async Task<Explanation> ExplainAsync(ExplanationContext context, int samples, CancellationToken cancellationToken)
    {
        var layout = context.Layout;
        if (layout.Count > MaxFeatures)
        {
            throw ExplanationContext.Invalid(Method, string.Create(CultureInfo.InvariantCulture, $"model '{context.ModelName}' has {layout.Count:N0} features; at most {MaxFeatures:N0} can be explained by LIME"));
        }

        var background = await context.BackgroundAsync(cancellationToken).ConfigureAwait(false);
        context.Evaluator.Reserve(samples, string.Create(CultureInfo.InvariantCulture, $"lime_tabular with {samples:N0} samples over {layout.Count} features"));

        var m = layout.Count;
        var numeric = new bool[m];
        var mean = new double[m];
        var std = new double[m];
        for (var j = 0; j < m; j++)
        {
            // BOOL is a number to the codec but a category to LIME: a normal draw around 0.4 means nothing.
            numeric[j] = layout.Features[j].IsNumeric && layout.Features[j].DataType != DataType.Bool;
            if (numeric[j])
            {
                (mean[j], std[j]) = MeanStd(background.Rows.Select(r => layout.Number(r, j)!.Value));
            }
        }

        var x = context.Row;
        var random = new Random(context.Request.Seed);
        var interpretable = new double[samples][];
        var values = await LimeExplainer.EvaluateAsync(context, samples, i =>
        {
            var (row, z) = i == 0 ? (x, Interpretable(layout, x, x, numeric, mean, std)) : Sample(layout, x, background.Rows, numeric, mean, std, random);
            interpretable[i] = z;
            return row;
        }, cancellationToken).ConfigureAwait(false);

        var origin = interpretable[0];
        var width = LimeKernel.TabularWidth(m);
        var weights = interpretable.Select(z => LimeKernel.Weight(Distance(z, origin), width)).ToArray();
        var fit = WeightedRidge.Fit(interpretable, values, weights);

        var features = new FeatureAttribution[m];
        for (var j = 0; j < m; j++)
        {
            var name = layout.Features[j].Name;
            var display = layout.Display(x, j);
            if (numeric[j])
            {
                // A constant feature's column is all zeros and its slope 0; std 0 must not turn that into NaN.
                var perUnit = std[j] > 0 ? fit.Coefficients[j] / std[j] : 0;
                features[j] = new FeatureAttribution(name, display, perUnit * (layout.Number(x, j)!.Value - mean[j])) { Weight = perUnit };
            }
            else
            {
                features[j] = new FeatureAttribution(name, display, fit.Coefficients[j]) { Weight = fit.Coefficients[j] };
            }
        }

        return LimeExplainer.Result(context, Method, fit, samples, features) with { Background = background.Source };
    }

    // One copy of each input cell per sample, written in place: a vector of M features costs O(M), not M copies of it.
    private static (InputRow Row, double[] Z) Sample(FeatureLayout layout, InputRow x, IReadOnlyList<InputRow> background, bool[] numeric, double[] mean, double[] std, Random random)
    {
        var cells = (byte[][])x.Cells.Clone();
        var owned = new bool[cells.Length];
        for (var j = 0; j < layout.Count; j++)
        {
            var f = layout.Features[j];
            if (!numeric[j])
            {
                var source = background[random.Next(background.Count)].Cells[f.Input];
                if (layout.IsVector)
                {
                    var size = f.DataType.ElementSize();
                    Buffer.BlockCopy(source, f.Element * size, Own(f.Input), f.Element * size, size);
                }
                else
                {
                    cells[f.Input] = source; // One whole single-element input; read only from here on.
                }
            }
            else if (std[j] > 0)
            {
                CellCodec.Write(f.DataType, Own(f.Input), f.Element, mean[j] + (std[j] * LimeKernel.Normal(random)));
            }
        }

        var row = new InputRow(cells);
        return (row, Interpretable(layout, row, x, numeric, mean, std));

        byte[] Own(int input)
        {
            if (!owned[input])
            {
                cells[input] = (byte[])cells[input].Clone();
                owned[input] = true;
            }

            return cells[input];
        }
    }

    // Read back from the row, so an integer feature's rounding is what the fit sees.
    private static double[] Interpretable(FeatureLayout layout, InputRow row, InputRow x, bool[] numeric, double[] mean, double[] std)
    {
        var z = new double[layout.Count];
        for (var j = 0; j < z.Length; j++)
        {
            z[j] = numeric[j]
                ? std[j] > 0 ? (layout.Number(row, j)!.Value - mean[j]) / std[j] : 0
                : SameValue(layout, row, x, j) ? 1 : 0;
        }

        return z;
    }

    private static bool SameValue(FeatureLayout layout, InputRow row, InputRow x, int j)
    {
        var f = layout.Features[j];
        return layout.IsVector
            ? layout.Number(row, j) == layout.Number(x, j)
            : row.Cells[f.Input].AsSpan().SequenceEqual(x.Cells[f.Input]);
    }

    private static double Distance(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            sum += (a[j] - b[j]) * (a[j] - b[j]);
        }

        return Math.Sqrt(sum);
    }

    private static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        var list = values.ToArray();
        var mean = list.Average();
        var variance = list.Sum(v => (v - mean) * (v - mean)) / list.Length;
        return (mean, Math.Sqrt(variance));
    }
}

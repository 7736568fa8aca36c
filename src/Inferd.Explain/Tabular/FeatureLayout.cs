using System.Globalization;
using System.Text;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Tabular;

/// <summary>
/// How a model's inputs split into the features (players) of a tabular explanation. Two shapes qualify:
/// every input holds one element per row (named fields, as the <c>/v1</c> endpoint and pipelines with a
/// <c>tabular</c> step have them): one feature per input, of any datatype; or the model has one numeric input whose
/// row is a vector of F elements: one feature per element. Anything else is refused with the reason.
/// </summary>
internal sealed class FeatureLayout
{
    private FeatureLayout(IReadOnlyList<Feature> features, bool vector)
    {
        Features = features;
        IsVector = vector;
    }

    /// <summary>The features in input order.</summary>
    public IReadOnlyList<Feature> Features { get; }

    /// <summary>True when the features are the elements of one vector input.</summary>
    public bool IsVector { get; }

    /// <summary>Feature count.</summary>
    public int Count => Features.Count;

    /// <summary>The layout of <paramref name="config"/>'s inputs, given the explained row's per-input row shapes.</summary>
    /// <param name="config">The version's effective config.</param>
    /// <param name="rowShapes">Per input, the shape of one row.</param>
    /// <param name="names">Configured feature names for a vector input (<c>explain.feature_names</c>), or null.</param>
    public static FeatureLayout Create(ModelConfig config, long[][] rowShapes, IReadOnlyList<string>? names)
    {
        var counts = rowShapes.Select(s => s.Aggregate(1L, (a, d) => a * d)).ToArray();
        if (counts.All(c => c == 1))
        {
            return new FeatureLayout(config.Inputs.Select((t, i) => new Feature(t.Name, i, 0, t.DataType)).ToArray(), vector: false);
        }

        if (config.Inputs.Count == 1 && config.Inputs[0].DataType != DataType.Bytes && counts[0] > 1 && counts[0] <= 4096)
        {
            var input = config.Inputs[0];
            if (names is not null && names.Count != counts[0])
            {
                throw InferenceException.Invalid($"explain.feature_names has {names.Count} names but input '{input.Name}' has {counts[0]} elements per row");
            }

            var features = new Feature[counts[0]];
            for (var e = 0; e < features.Length; e++)
            {
                var name = names?[e] ?? string.Create(CultureInfo.InvariantCulture, $"{input.Name}[{e}]");
                features[e] = new Feature(name, 0, e, input.DataType);
            }

            return new FeatureLayout(features, vector: true);
        }

        throw InferenceException.Invalid(
            $"model '{config.Name}' is not tabular: a tabular explanation needs one element per input (named fields) or a single numeric input holding a feature vector of at most 4096 elements; its inputs are {Describe(config, rowShapes)}");
    }

    /// <summary>
    /// A row whose feature <c>i</c> comes from <paramref name="x"/> where <paramref name="fromX"/>[i] is set and from
    /// <paramref name="background"/> otherwise.
    /// </summary>
    public InputRow Mix(InputRow x, InputRow background, ReadOnlySpan<bool> fromX)
    {
        if (!IsVector)
        {
            var cells = new byte[x.Cells.Length][];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = fromX[i] ? x.Cells[i] : background.Cells[i];
            }

            return new InputRow(cells);
        }

        var size = Features[0].DataType.ElementSize();
        var cell = (byte[])background.Cells[0].Clone();
        for (var i = 0; i < fromX.Length; i++)
        {
            if (fromX[i])
            {
                Buffer.BlockCopy(x.Cells[0], i * size, cell, i * size, size);
            }
        }

        return new InputRow([cell]);
    }

    /// <summary>Feature <paramref name="feature"/> of <paramref name="row"/> as a number; null for a BYTES feature.</summary>
    public double? Number(InputRow row, int feature)
    {
        var f = Features[feature];
        return f.IsNumeric ? CellCodec.Read(f.DataType, row.Cells[f.Input], f.Element) : null;
    }

    /// <summary>Feature <paramref name="feature"/> of <paramref name="row"/> as shown to people: the number or the text.</summary>
    public string Display(InputRow row, int feature)
    {
        var f = Features[feature];
        if (f.DataType == DataType.Bool)
        {
            return CellCodec.Read(f.DataType, row.Cells[f.Input], f.Element) != 0 ? "true" : "false";
        }

        if (f.IsNumeric)
        {
            return CellCodec.Read(f.DataType, row.Cells[f.Input], f.Element).ToString("R", CultureInfo.InvariantCulture);
        }

        var cell = row.Cells[f.Input];
        return cell.Length >= 4 ? Encoding.UTF8.GetString(cell, 4, cell.Length - 4) : "";
    }

    /// <summary>A copy of <paramref name="row"/> with numeric feature <paramref name="feature"/> set to <paramref name="value"/>.</summary>
    public InputRow WithNumber(InputRow row, int feature, double value)
    {
        var f = Features[feature];
        var cell = (byte[])row.Cells[f.Input].Clone();
        CellCodec.Write(f.DataType, cell, f.Element, value);
        return row.With(f.Input, cell);
    }

    /// <summary>A copy of <paramref name="row"/> with feature <paramref name="feature"/> taken from <paramref name="source"/>.</summary>
    public InputRow WithFeatureOf(InputRow row, int feature, InputRow source)
    {
        var f = Features[feature];
        if (!IsVector)
        {
            return row.With(f.Input, source.Cells[f.Input]);
        }

        var size = f.DataType.ElementSize();
        var cell = (byte[])row.Cells[0].Clone();
        Buffer.BlockCopy(source.Cells[0], f.Element * size, cell, f.Element * size, size);
        return row.With(0, cell);
    }

    private static string Describe(ModelConfig config, long[][] rowShapes) =>
        string.Join(", ", config.Inputs.Select((t, i) => $"{t.Name} {t.DataType.ToWireName()}[{string.Join(",", rowShapes[i])}]"));
}

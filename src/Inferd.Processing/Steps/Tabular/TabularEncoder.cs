using Inferd.Abstractions.Inference;
using Inferd.Processing.Pipelines;

namespace Inferd.Processing.Steps.Tabular;

/// <summary>
/// Encodes one row of fields into feature columns. The tabular step and the zoo trainer both call
/// <see cref="Encode{TRow}"/>, so a model is served with exactly the features it was trained on.
/// </summary>
internal sealed class TabularEncoder
{
    private readonly FeatureSpec[] _features;
    private readonly Dictionary<string, int>?[] _categories;

    /// <summary>Prepares the category look-ups of a schema.</summary>
    public TabularEncoder(FeatureSchema schema)
    {
        Schema = schema;
        _features = schema.Features.ToArray();
        _categories = _features
            .Select(f => f.Type == FeatureType.Category ? f.Categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal) : null)
            .ToArray();
    }

    /// <summary>The schema.</summary>
    public FeatureSchema Schema { get; }

    /// <summary>
    /// Writes the row's <see cref="FeatureSchema.Width"/> columns into <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="InferenceException">InvalidInput naming the field and row (missing value, unknown category, infinity).</exception>
    public void Encode<TRow>(TRow row, Span<float> destination)
        where TRow : ITabularRow
    {
        var column = 0;
        for (var i = 0; i < _features.Length; i++)
        {
            var f = _features[i];
            switch (f.Type)
            {
                case FeatureType.Category:
                    var width = f.Categories.Count;
                    destination.Slice(column, width).Clear();
                    var index = CategoryIndex(f, _categories[i]!, row, i);
                    if (index >= 0)
                    {
                        destination[column + index] = 1;
                    }

                    column += width;
                    break;
                case FeatureType.Bool:
                    destination[column++] = Value(f, row, i) != 0 ? 1 : 0;
                    break;
                default:
                    destination[column++] = Standardise(f, Value(f, row, i));
                    break;
            }
        }
    }

    private static float Standardise(FeatureSpec f, double value) =>
        f.Std is { } std ? (float)((value - f.Mean!.Value) / std) : (float)value;

    /// <summary>A number field's value. Rounded to FP32 first, so FP32 and FP64 requests and CSV training rows agree bit for bit.</summary>
    private static double Value<TRow>(FeatureSpec f, TRow row, int feature)
        where TRow : ITabularRow
    {
        var value = row.Number(feature);
        if (double.IsNaN(value))
        {
            return f.Missing switch
            {
                MissingPolicy.Mean => f.Mean!.Value,
                MissingPolicy.Constant => f.MissingValue,
                _ => throw InferenceException.Invalid($"field '{row.Field(feature)}' row {row.Index}: missing value"),
            };
        }

        var single = (float)value;
        return float.IsFinite(single)
            ? single
            : throw InferenceException.Invalid($"field '{row.Field(feature)}' row {row.Index}: {StepOptions.Format(value)} is not a finite FP32 number");
    }

    private static int CategoryIndex<TRow>(FeatureSpec f, Dictionary<string, int> categories, TRow row, int feature)
        where TRow : ITabularRow
    {
        var text = row.Text(feature);
        if (text.Length == 0)
        {
            return f.Missing == MissingPolicy.MostFrequent
                ? categories[f.Default!]
                : throw InferenceException.Invalid($"field '{row.Field(feature)}' row {row.Index}: missing value");
        }

        if (categories.TryGetValue(text, out var index))
        {
            return index;
        }

        return f.IgnoreUnknown
            ? -1
            : throw InferenceException.Invalid($"field '{row.Field(feature)}' row {row.Index}: unknown category '{StepOptions.Clip(text)}' (expected one of {StepOptions.Clip(string.Join(", ", f.Categories))})");
    }
}

using System.Globalization;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// Builds a <see cref="ReferenceProfile"/> from the features of many requests. Keeps every numeric value until
/// <see cref="Build"/> (8 bytes per value: a million rows of 20 features is 160 MB), which is fine for the CLI.
/// </summary>
internal sealed class ProfileBuilder
{
    /// <summary>Values kept in the quantile sketch for the Kolmogorov–Smirnov test.</summary>
    public const int SketchSize = 10_000;

    /// <summary>Categories kept by name; the rest are counted as <see cref="OtherCategory"/>.</summary>
    public const int MaxCategories = 100;

    /// <summary>The bin of every category outside the top <see cref="MaxCategories"/>.</summary>
    public const string OtherCategory = "__other__";

    /// <summary>PSI bins of a numeric feature: its deciles.</summary>
    public const int PsiBins = 10;

    private readonly List<Accumulator> _inputs = [];
    private readonly List<Accumulator> _outputs = [];
    private readonly Dictionary<(bool Output, string Tensor, int Index), Accumulator> _byKey = [];

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Adds the features of one request.</summary>
    public void Add(ExtractedFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        Rows += features.Rows;
        Add(features.Inputs, output: false);
        Add(features.Outputs, output: true);
    }

    /// <summary>The profile of every row added.</summary>
    public ReferenceProfile Build(string model, string version, DateTimeOffset created)
    {
        var skipped = new List<SkippedFeature>();
        var inputs = Finish(_inputs, skipped);
        var outputs = Finish(_outputs, skipped);
        return new ReferenceProfile(model, version, created, Rows, inputs, outputs) { Skipped = skipped };
    }

    private void Add(IReadOnlyList<FeatureColumn> columns, bool output)
    {
        foreach (var column in columns)
        {
            var key = (output, column.Tensor, column.Index);
            if (!_byKey.TryGetValue(key, out var accumulator))
            {
                accumulator = new Accumulator(column.Tensor, column.Index, column.Kind);
                _byKey.Add(key, accumulator);
                (output ? _outputs : _inputs).Add(accumulator);
            }

            accumulator.Add(column);
        }
    }

    private List<FeatureProfile> Finish(List<Accumulator> accumulators, List<SkippedFeature> skipped)
    {
        var profiles = new List<FeatureProfile>(accumulators.Count);
        foreach (var a in accumulators)
        {
            // A feature missing from some requests (an optional input) is missing on those rows.
            var missing = a.Missing + Math.Max(0, Rows - a.Seen);
            var present = a.Kind == FeatureKind.Numeric ? a.Numbers.Count : a.Categories.Values.Sum();
            var name = FeatureExtractor.FeatureName(a.Tensor, a.Index);
            if (present == 0)
            {
                skipped.Add(new SkippedFeature(name, "no values (every row was missing)"));
                continue;
            }

            var missingRate = (double)missing / (missing + present);
            if (a.Kind == FeatureKind.Numeric)
            {
                profiles.Add(new FeatureProfile(a.Tensor, a.Index, a.Kind, present, missingRate) { Numeric = Numeric(a.Numbers) });
                continue;
            }

            var ranked = a.Categories.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToArray();
            var kept = ranked.Take(MaxCategories).ToArray();
            var covered = kept.Sum(p => p.Value);
            if (ranked.Length > MaxCategories && covered * 2 < present)
            {
                // Free text (an email, a sentence) is not a category: nearly every value is new, so any live window
                // would look like drift. Leave it out and say so.
                skipped.Add(new SkippedFeature(name, string.Create(CultureInfo.InvariantCulture,
                    $"free text: {ranked.Length} distinct values in {present} rows, the top {MaxCategories} cover {100.0 * covered / present:0.#}%")));
                continue;
            }

            profiles.Add(new FeatureProfile(a.Tensor, a.Index, a.Kind, present, missingRate)
            {
                Categorical = new CategoricalProfile(kept.Select(p => p.Key).ToArray(), kept.Select(p => p.Value).ToArray(), present - covered),
            });
        }

        return profiles;
    }

    /// <summary>Statistics, sketch and PSI bins of the present values of a numeric feature.</summary>
    internal static NumericProfile Numeric(List<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;
        var mean = 0.0;
        foreach (var v in sorted)
        {
            mean += v;
        }

        mean /= n;
        var squares = 0.0;
        foreach (var v in sorted)
        {
            squares += (v - mean) * (v - mean);
        }

        var std = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0;
        double[] sketch;
        if (n <= SketchSize)
        {
            sketch = sorted;
        }
        else
        {
            sketch = new double[SketchSize];
            for (var i = 0; i < SketchSize; i++)
            {
                // The midpoint of each of SketchSize equal slices of the sorted sample.
                sketch[i] = sorted[(int)(((i + 0.5) * n) / SketchSize)];
            }
        }

        var edges = new List<double>(PsiBins - 1);
        for (var k = 1; k < PsiBins; k++)
        {
            // The k-th decile: the smallest value with at least k/10 of the sample at or below it.
            var edge = sorted[Math.Max(0, (int)Math.Ceiling((double)k * n / PsiBins) - 1)];
            if (edges.Count == 0 || edge > edges[^1])
            {
                edges.Add(edge);
            }
        }

        // A constant feature still needs one edge, so values above it land in a second bin.
        if (edges.Count == 0)
        {
            edges.Add(sorted[0]);
        }

        var profile = new NumericProfile(sorted[0], sorted[^1], mean, std, sketch, [.. edges], new double[edges.Count + 1]);
        var counts = new long[edges.Count + 1];
        foreach (var v in sorted)
        {
            counts[profile.BinOf(v)]++;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            profile.BinFractions[i] = (double)counts[i] / n;
        }

        return profile;
    }

    private sealed class Accumulator(string tensor, int index, FeatureKind kind)
    {
        public string Tensor { get; } = tensor;

        public int Index { get; } = index;

        public FeatureKind Kind { get; } = kind;

        public List<double> Numbers { get; } = [];

        public Dictionary<string, long> Categories { get; } = new(StringComparer.Ordinal);

        /// <summary>Values seen, present or missing.</summary>
        public long Seen { get; private set; }

        public long Missing { get; private set; }

        public void Add(FeatureColumn column)
        {
            if (column.Kind != Kind)
            {
                return;
            }

            Seen += column.Count;
            if (column.Numbers is { } numbers)
            {
                foreach (var v in numbers)
                {
                    if (double.IsFinite(v))
                    {
                        Numbers.Add(v);
                    }
                    else
                    {
                        Missing++;
                    }
                }
            }
            else
            {
                foreach (var value in column.Categories!)
                {
                    if (value.Length == 0)
                    {
                        Missing++;
                    }
                    else
                    {
                        Categories[value] = Categories.GetValueOrDefault(value) + 1;
                    }
                }
            }
        }
    }
}

using System.Globalization;
using Inferd.Monitoring.Configuration;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// Compares a live window with its reference and gives the verdict. A feature is flagged when its p-value is below
/// alpha / (features with a verdict in its group) — Bonferroni, inputs and outputs corrected separately — or its PSI
/// is at or above the threshold. A feature with fewer than <c>min_rows</c> live values gets no verdict.
/// </summary>
internal static class DriftEvaluator
{
    /// <summary>The report of one model version.</summary>
    public static DriftReport Evaluate(string model, string version, ReferenceProfile profile, WindowSnapshot window, DriftSettings settings, int capacity)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(settings);
        return new DriftReport
        {
            Model = model,
            Version = version,
            LiveRows = window.Rows,
            ReferenceRows = profile.Rows,
            ProfileCreated = profile.Created,
            Window = capacity,
            MinRows = settings.MinRows,
            Alpha = settings.Alpha,
            PsiThreshold = settings.PsiThreshold,
            Inputs = Group(window.Inputs, settings),
            Outputs = Group(window.Outputs, settings),
        };
    }

    private static FeatureDrift[] Group(IReadOnlyList<FeatureSnapshot> features, DriftSettings settings)
    {
        var measured = features.Select(Measure).ToArray();
        var tested = measured.Count(m => m.LiveCount >= settings.MinRows);
        var alpha = tested == 0 ? 0 : settings.Alpha / tested;
        for (var i = 0; i < measured.Length; i++)
        {
            var m = measured[i];
            var verdict = m.LiveCount >= settings.MinRows;
            measured[i] = m with { HasVerdict = verdict, Flagged = verdict && (m.PValue < alpha || m.Psi >= settings.PsiThreshold) };
        }

        return measured;
    }

    private static FeatureDrift Measure(FeatureSnapshot feature)
    {
        var profile = feature.Profile;
        var quality = feature.Quality;
        var common = new FeatureDrift
        {
            Name = profile.Name,
            Kind = profile.Kind,
            Statistic = 0,
            PValue = double.NaN,
            Psi = double.NaN,
            HasVerdict = false,
            Flagged = false,
            LiveCount = feature.Count,
            ReferenceCount = profile.Count,
            LiveMissingRate = feature.Seen == 0 ? 0 : (double)(quality.Missing + quality.NaN) / feature.Seen,
            ReferenceMissingRate = profile.MissingRate,
            BinLabels = [],
            ReferenceFractions = [],
            LiveFractions = [],
            Quality = quality,
        };
        return profile.Numeric is { } numeric ? MeasureNumeric(common, numeric, feature.Values ?? []) : MeasureCategorical(common, profile.Categorical!, feature.BinCounts!);
    }

    private static FeatureDrift MeasureNumeric(FeatureDrift common, NumericProfile reference, double[] live)
    {
        Array.Sort(live);
        var fractions = new double[reference.BinFractions.Length];
        foreach (var v in live)
        {
            fractions[reference.BinOf(v)]++;
        }

        var labels = new string[fractions.Length];
        for (var i = 0; i < reference.BinEdges.Length; i++)
        {
            labels[i] = "≤ " + reference.BinEdges[i].ToString("G4", CultureInfo.InvariantCulture);
        }

        labels[^1] = "> " + reference.BinEdges[^1].ToString("G4", CultureInfo.InvariantCulture);
        common = common with { BinLabels = labels, ReferenceFractions = reference.BinFractions };
        if (live.Length == 0)
        {
            return common with { LiveFractions = fractions };
        }

        for (var i = 0; i < fractions.Length; i++)
        {
            fractions[i] /= live.Length;
        }

        var d = DriftStatistics.KolmogorovSmirnov(reference.Quantiles, live);
        return common with
        {
            Statistic = d,
            PValue = DriftStatistics.KolmogorovSmirnovPValue(d, common.ReferenceCount, live.Length),
            Psi = DriftStatistics.Psi(reference.BinFractions, fractions),
            LiveFractions = fractions,
        };
    }

    private static FeatureDrift MeasureCategorical(FeatureDrift common, CategoricalProfile reference, long[] live)
    {
        var referenceCounts = reference.BinCounts();
        var referenceFractions = Fractions(referenceCounts);
        var liveFractions = Fractions(live);
        common = common with
        {
            BinLabels = [.. reference.Categories, ProfileBuilder.OtherCategory],
            ReferenceFractions = referenceFractions,
            LiveFractions = liveFractions,
        };
        if (common.LiveCount == 0)
        {
            return common;
        }

        var (statistic, _, p) = DriftStatistics.ChiSquareHomogeneity(referenceCounts, live);
        return common with { Statistic = statistic, PValue = p, Psi = DriftStatistics.Psi(referenceFractions, liveFractions) };
    }

    private static double[] Fractions(long[] counts)
    {
        var total = (double)counts.Sum();
        return counts.Select(c => total == 0 ? 0 : c / total).ToArray();
    }
}

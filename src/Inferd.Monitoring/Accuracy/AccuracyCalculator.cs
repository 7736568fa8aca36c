namespace Inferd.Monitoring.Accuracy;

/// <summary>
/// Accuracy figures over rows of (prediction, truth). A figure that is undefined for the rows (precision without a
/// predicted positive, AUC without both classes) is left out rather than reported as 0 or NaN.
/// </summary>
internal static class AccuracyCalculator
{
    /// <summary>Binary: accuracy, precision, recall, F1 and AUC (each when defined).</summary>
    public static IReadOnlyList<AccuracyMetric> Binary(IReadOnlyList<BinaryRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        long tp = 0, fp = 0, tn = 0, fn = 0;
        foreach (var row in rows)
        {
            _ = (row.Predicted, row.Actual) switch
            {
                (true, true) => tp++,
                (true, false) => fp++,
                (false, false) => tn++,
                (false, true) => fn++,
            };
        }

        var metrics = new List<AccuracyMetric> { new("accuracy", (double)(tp + tn) / rows.Count) };
        double? precision = tp + fp > 0 ? (double)tp / (tp + fp) : null;
        double? recall = tp + fn > 0 ? (double)tp / (tp + fn) : null;
        if (precision is { } p)
        {
            metrics.Add(new("precision", p));
        }

        if (recall is { } r)
        {
            metrics.Add(new("recall", r));
        }

        if (precision is { } p2 && recall is { } r2)
        {
            metrics.Add(new("f1", p2 + r2 > 0 ? 2 * p2 * r2 / (p2 + r2) : 0));
        }

        if (Auc(rows) is { } auc)
        {
            metrics.Add(new("auc", auc));
        }

        return metrics;
    }

    /// <summary>Multiclass: accuracy.</summary>
    public static IReadOnlyList<AccuracyMetric> Multiclass(IReadOnlyList<LabelRow> rows) =>
        rows.Count == 0 ? [] : [new("accuracy", (double)rows.Count(r => string.Equals(r.Predicted, r.Actual, StringComparison.Ordinal)) / rows.Count)];

    /// <summary>Regression: mean absolute error and root mean squared error.</summary>
    public static IReadOnlyList<AccuracyMetric> Regression(IReadOnlyList<RegressionRow> rows)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        double absolute = 0, squared = 0;
        foreach (var row in rows)
        {
            var error = row.Predicted - row.Actual;
            absolute += Math.Abs(error);
            squared += error * error;
        }

        return [new("mae", absolute / rows.Count), new("rmse", Math.Sqrt(squared / rows.Count))];
    }

    /// <summary>
    /// Area under the ROC curve as the Mann–Whitney statistic: the chance that a random positive scores above a random
    /// negative, ties counting half (average ranks). Null unless both classes are present.
    /// </summary>
    public static double? Auc(IReadOnlyList<BinaryRow> rows)
    {
        long positives = rows.Count(r => r.Actual);
        long negatives = rows.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return null;
        }

        var sorted = rows.OrderBy(r => r.Score).ToArray();
        double positiveRankSum = 0;
        for (var start = 0; start < sorted.Length;)
        {
            var end = start;
            while (end + 1 < sorted.Length && sorted[end + 1].Score == sorted[start].Score)
            {
                end++;
            }

            // Ranks start+1 .. end+1 share their average.
            var rank = (start + end + 2) / 2.0;
            for (var i = start; i <= end; i++)
            {
                if (sorted[i].Actual)
                {
                    positiveRankSum += rank;
                }
            }

            start = end + 1;
        }

        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }
}

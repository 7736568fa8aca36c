namespace Inferd.Monitoring.Fairness;

/// <summary>
/// Group fairness figures (docs/accuracy-fairness-alerts.md): per group the positive rate and, where truth is known,
/// the true positive rate; then demographic parity difference, disparate impact ratio and equal opportunity difference.
/// </summary>
internal static class FairnessCalculator
{
    /// <summary>Computes the report; <paramref name="privileged"/> is the configured reference group, if any.</summary>
    public static FairnessReport Compute(IEnumerable<FairnessRow> rows, string? privileged)
    {
        var counts = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!counts.TryGetValue(row.Group, out var c))
            {
                // rows, predicted positive, with truth, actual positive, true positive
                counts[row.Group] = c = new int[5];
            }

            c[0]++;
            c[1] += row.PredictedPositive ? 1 : 0;
            if (row.ActualPositive is { } actual)
            {
                c[2]++;
                c[3] += actual ? 1 : 0;
                c[4] += actual && row.PredictedPositive ? 1 : 0;
            }
        }

        var groups = counts.Select(kv => new FairnessGroup(
            kv.Key,
            kv.Value[0],
            kv.Value[1],
            (double)kv.Value[1] / kv.Value[0],
            kv.Value[2],
            kv.Value[3],
            kv.Value[4],
            kv.Value[3] > 0 ? (double)kv.Value[4] / kv.Value[3] : null)).ToArray();
        if (groups.Length == 0)
        {
            return new FairnessReport([], null, null, null, null);
        }

        var reference = groups.FirstOrDefault(g => g.Group == privileged) ?? groups.MaxBy(g => g.PositiveRate)!;
        var rates = groups.Select(g => g.PositiveRate).ToArray();
        double? parity = groups.Length >= 2 ? rates.Max() - rates.Min() : null;
        double? impact = groups.Length >= 2 && reference.PositiveRate > 0 ? rates.Min(r => r / reference.PositiveRate) : null;
        var tprs = groups.Where(g => g.TruePositiveRate is not null).Select(g => g.TruePositiveRate!.Value).ToArray();
        double? opportunity = tprs.Length >= 2 ? tprs.Max() - tprs.Min() : null;
        return new FairnessReport(groups, reference.Group, parity, impact, opportunity);
    }
}

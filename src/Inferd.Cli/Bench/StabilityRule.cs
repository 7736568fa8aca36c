namespace Inferd.Cli.Bench;

/// <summary>
/// perf_analyzer's stability rule: a load point is stable when the last three windows agree on throughput and on
/// p95 latency, each value within ± the threshold of the three windows' mean.
/// </summary>
internal static class StabilityRule
{
    /// <summary>Windows that must agree; the report merges the same number.</summary>
    public const int Windows = 3;

    /// <param name="throughputs">Requests/s per window, oldest first.</param>
    /// <param name="p95s">p95 latency per window, same order.</param>
    /// <param name="threshold">Allowed relative deviation from the mean, e.g. 0.15.</param>
    public static bool IsStable(IReadOnlyList<double> throughputs, IReadOnlyList<double> p95s, double threshold)
    {
        if (throughputs.Count < Windows || p95s.Count < Windows)
        {
            return false;
        }

        return Agree(throughputs, threshold) && Agree(p95s, threshold);
    }

    private static bool Agree(IReadOnlyList<double> values, double threshold)
    {
        var last = values.Skip(values.Count - Windows).ToArray();
        var mean = last.Average();
        if (mean <= 0)
        {
            return false; // A window with no completed request is never stable.
        }

        return last.All(v => Math.Abs(v - mean) <= threshold * mean);
    }
}

namespace Inferd.Cli.Bench;

/// <summary>Percentiles of recorded latencies, computed exactly on sorted data.</summary>
internal static class Percentiles
{
    /// <summary>
    /// The nearest-rank percentile: the smallest value such that at least <paramref name="percent"/>% of the values
    /// are at or below it (index ⌈p/100 · n⌉ − 1). 0 for no values.
    /// </summary>
    /// <param name="sorted">Values in ascending order.</param>
    /// <param name="percent">In (0, 100].</param>
    public static long NearestRank(ReadOnlySpan<long> sorted, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (sorted.IsEmpty)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}

namespace Inferd.Monitoring.Drift;

/// <summary>The reference of a numeric feature.</summary>
/// <param name="Min">Smallest value; live values below it count as out of range.</param>
/// <param name="Max">Largest value; live values above it count as out of range.</param>
/// <param name="Mean">Mean.</param>
/// <param name="Std">Sample standard deviation (0 for a single value).</param>
/// <param name="Quantiles">
/// The quantile sketch the Kolmogorov–Smirnov test reads as the reference sample, sorted: every value when there
/// were at most <see cref="ProfileBuilder.SketchSize"/>, else that many evenly spaced quantiles (the empirical CDF is
/// then off by at most 1/<see cref="ProfileBuilder.SketchSize"/>).
/// </param>
/// <param name="BinEdges">Upper edges of the PSI bins but the last (the reference's deciles, duplicates removed); bin i holds values in (edge[i-1], edge[i]].</param>
/// <param name="BinFractions">Share of reference values in each bin; one more entry than <paramref name="BinEdges"/>.</param>
internal sealed record NumericProfile(double Min, double Max, double Mean, double Std, double[] Quantiles, double[] BinEdges, double[] BinFractions)
{
    /// <summary>The PSI bin of a value: the first edge at or above it, or the last bin.</summary>
    public int BinOf(double value)
    {
        var index = Array.BinarySearch(BinEdges, value);
        if (index < 0)
        {
            return ~index;
        }

        // Equal edges were removed, so an exact hit is unique; the bin is the one that edge closes.
        return index;
    }
}

namespace Inferd.Monitoring.Drift;

/// <summary>The reference of a categorical feature.</summary>
/// <param name="Categories">The most frequent values (at most <see cref="ProfileBuilder.MaxCategories"/>), most frequent first.</param>
/// <param name="Counts">How often each appeared.</param>
/// <param name="OtherCount">Values outside <paramref name="Categories"/>, counted together as <see cref="ProfileBuilder.OtherCategory"/>.</param>
internal sealed record CategoricalProfile(string[] Categories, long[] Counts, long OtherCount)
{
    /// <summary>Counts of the categories followed by <see cref="OtherCount"/>: the bins of the chi-square test and PSI.</summary>
    public long[] BinCounts() => [.. Counts, OtherCount];
}

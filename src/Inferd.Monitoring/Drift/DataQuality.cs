namespace Inferd.Monitoring.Drift;

/// <summary>Data-quality counts of one feature since its live window started.</summary>
/// <param name="Missing">Values absent: an empty string, or an input left out of a request.</param>
/// <param name="NaN">Numbers that were NaN (the predict endpoint sends an absent or null number field as NaN).</param>
/// <param name="OutOfRange">Numbers outside the reference's [min, max], infinities included.</param>
/// <param name="UnknownCategory">Categories outside the reference's top categories.</param>
internal readonly record struct DataQuality(long Missing, long NaN, long OutOfRange, long UnknownCategory)
{
    /// <summary>The kinds, as metric labels and JSON field names.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["missing", "nan", "out_of_range", "unknown_category"];

    /// <summary>The count of a kind of <see cref="Kinds"/>.</summary>
    public long this[int kind] => kind switch
    {
        0 => Missing,
        1 => NaN,
        2 => OutOfRange,
        _ => UnknownCategory,
    };
}

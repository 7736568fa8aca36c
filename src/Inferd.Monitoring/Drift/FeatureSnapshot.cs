namespace Inferd.Monitoring.Drift;

/// <summary>A copy of one feature's live window.</summary>
/// <param name="Profile">The feature's reference.</param>
/// <param name="Values">A numeric feature's values in the window, unsorted; null for a categorical one.</param>
/// <param name="BinCounts">A categorical feature's counts per reference category, then the count of every other value; null for a numeric one.</param>
/// <param name="Quality">Data-quality counts since the window started.</param>
/// <param name="Seen">Values seen since the window started, missing ones included.</param>
internal sealed record FeatureSnapshot(FeatureProfile Profile, double[]? Values, long[]? BinCounts, DataQuality Quality, long Seen)
{
    /// <summary>Values in the window.</summary>
    public long Count => Values?.Length ?? BinCounts?.Sum() ?? 0;
}

namespace Inferd.Monitoring.Drift;

/// <summary>
/// The last values of one feature (a ring buffer) and its data-quality counters. Not thread-safe: the owning
/// <see cref="LiveWindow"/> serializes access.
/// </summary>
internal abstract class FeatureWindow(FeatureProfile profile)
{
    /// <summary>The feature's reference.</summary>
    public FeatureProfile Profile { get; } = profile;

    /// <summary>Values seen since the window started, missing ones included.</summary>
    public long Seen { get; protected set; }

    /// <summary>Set by the owner to the number of the last request that carried this feature.</summary>
    public long Stamp { get; set; }

    protected long Missing { get; set; }

    protected long NaN { get; set; }

    protected long OutOfRange { get; set; }

    protected long UnknownCategory { get; set; }

    /// <summary>Adds one request's values.</summary>
    public abstract void Add(FeatureColumn column);

    /// <summary>Counts <paramref name="rows"/> values as missing (the input was left out of a request).</summary>
    public void AddMissing(int rows)
    {
        Seen += rows;
        Missing += rows;
    }

    /// <summary>A copy of the window for evaluation.</summary>
    public abstract FeatureSnapshot Snapshot();

    protected DataQuality Quality() => new(Missing, NaN, OutOfRange, UnknownCategory);
}

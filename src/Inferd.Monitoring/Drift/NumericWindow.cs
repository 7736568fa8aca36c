namespace Inferd.Monitoring.Drift;

/// <summary>The last finite values of a numeric feature; NaN, infinities and values outside the reference range are counted.</summary>
internal sealed class NumericWindow : FeatureWindow
{
    private readonly NumericProfile _reference;
    private readonly double[] _ring;
    private int _next;
    private int _filled;

    public NumericWindow(FeatureProfile profile, int capacity)
        : base(profile)
    {
        _reference = profile.Numeric ?? throw new ArgumentException("not a numeric feature", nameof(profile));
        _ring = new double[capacity];
    }

    public override void Add(FeatureColumn column)
    {
        if (column.Numbers is not { } values)
        {
            return;
        }

        Seen += values.Length;
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                NaN++;
                continue;
            }

            if (v < _reference.Min || v > _reference.Max)
            {
                OutOfRange++;
            }

            if (double.IsInfinity(v))
            {
                continue;
            }

            _ring[_next] = v;
            _next = _next + 1 == _ring.Length ? 0 : _next + 1;
            _filled = Math.Min(_filled + 1, _ring.Length);
        }
    }

    public override FeatureSnapshot Snapshot() => new(Profile, _ring.AsSpan(0, _filled).ToArray(), null, Quality(), Seen);
}

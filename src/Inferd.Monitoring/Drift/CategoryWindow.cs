namespace Inferd.Monitoring.Drift;

/// <summary>
/// The last values of a categorical feature, kept as reference-category indexes with running counts, so a report
/// reads the counts without a pass over the window. Values outside the reference's categories share the last bin.
/// </summary>
internal sealed class CategoryWindow : FeatureWindow
{
    private readonly Dictionary<string, int> _index;
    private readonly int[] _ring;
    private readonly long[] _counts;
    private int _next;
    private int _filled;

    public CategoryWindow(FeatureProfile profile, int capacity)
        : base(profile)
    {
        var reference = profile.Categorical ?? throw new ArgumentException("not a categorical feature", nameof(profile));
        _index = new Dictionary<string, int>(reference.Categories.Length, StringComparer.Ordinal);
        for (var i = 0; i < reference.Categories.Length; i++)
        {
            _index[reference.Categories[i]] = i;
        }

        _ring = new int[capacity];
        _counts = new long[reference.Categories.Length + 1];
    }

    public override void Add(FeatureColumn column)
    {
        if (column.Categories is not { } values)
        {
            return;
        }

        Seen += values.Length;
        foreach (var value in values)
        {
            if (value.Length == 0)
            {
                Missing++;
                continue;
            }

            if (!_index.TryGetValue(value, out var bin))
            {
                bin = _counts.Length - 1;
                UnknownCategory++;
            }

            if (_filled == _ring.Length)
            {
                _counts[_ring[_next]]--;
            }

            _ring[_next] = bin;
            _counts[bin]++;
            _next = _next + 1 == _ring.Length ? 0 : _next + 1;
            _filled = Math.Min(_filled + 1, _ring.Length);
        }
    }

    public override FeatureSnapshot Snapshot() => new(Profile, null, (long[])_counts.Clone(), Quality(), Seen);
}

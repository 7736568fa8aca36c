namespace Inferd.Cli.Bench;

/// <summary>The latencies (Stopwatch ticks) and errors of one measurement window, merged from every worker.</summary>
internal sealed class LatencyWindow
{
    private long[] _ticks = new long[4096];
    private bool _sorted = true;

    public int Count { get; private set; }

    public int Errors { get; private set; }

    /// <summary>The recorded latencies; sorted after <see cref="Sort"/>.</summary>
    public ReadOnlySpan<long> Ticks => _ticks.AsSpan(0, Count);

    public void Clear()
    {
        Count = 0;
        Errors = 0;
        _sorted = true;
    }

    public void Add(ReadOnlySpan<long> ticks, int errors)
    {
        if (Count + ticks.Length > _ticks.Length)
        {
            Array.Resize(ref _ticks, Math.Max(_ticks.Length * 2, Count + ticks.Length));
        }

        ticks.CopyTo(_ticks.AsSpan(Count));
        Count += ticks.Length;
        Errors += errors;
        _sorted &= ticks.Length == 0;
    }

    /// <summary>Sorts the latencies in place (no allocation).</summary>
    public void Sort()
    {
        if (!_sorted)
        {
            Array.Sort(_ticks, 0, Count);
            _sorted = true;
        }
    }
}

namespace Inferd.Core.Telemetry;

/// <summary>
/// A cumulative, lock-free histogram with fixed upper bounds (Prometheus semantics: each bucket counts observations
/// at or below its bound; +Inf is the total). Observing costs a binary search and two atomic adds, so it sits on the
/// request path. Summaries were ruled out on purpose: they cannot be aggregated across instances (anchors.md, pain 10).
/// </summary>
public sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _sumBits;
    private long _count;

    /// <summary>Creates a histogram with the given strictly increasing upper bounds (+Inf is implied).</summary>
    public Histogram(IReadOnlyList<double> bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        for (var i = 1; i < bounds.Count; i++)
        {
            if (!(bounds[i] > bounds[i - 1]))
            {
                throw new ArgumentException("histogram bounds must be strictly increasing", nameof(bounds));
            }
        }

        _bounds = [.. bounds];
        _counts = new long[_bounds.Length + 1];
    }

    /// <summary>Request latency bounds in seconds: 100 µs to 60 s, roughly ×2.5 apart (16 buckets).</summary>
    public static IReadOnlyList<double> LatencySeconds { get; } =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60];

    /// <summary>Batch size bounds: powers of two up to 1024.</summary>
    public static IReadOnlyList<double> BatchSizes { get; } = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    /// <summary>Upper bounds, without +Inf.</summary>
    public IReadOnlyList<double> Bounds => _bounds;

    /// <summary>Records one observation.</summary>
    public void Observe(double value)
    {
        var index = Array.BinarySearch(_bounds, value);
        if (index < 0)
        {
            index = ~index;
        }

        Interlocked.Increment(ref _counts[index]);
        Interlocked.Increment(ref _count);
        var seen = Interlocked.Read(ref _sumBits);
        while (true)
        {
            var updated = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
            var previous = Interlocked.CompareExchange(ref _sumBits, updated, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>A consistent-enough copy: cumulative bucket counts (last is +Inf), the sum and the count.</summary>
    public HistogramSnapshot Snapshot()
    {
        var cumulative = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            cumulative[i] = running;
        }

        // The count is the +Inf bucket, so the two always agree even while observations race the scrape.
        return new HistogramSnapshot(_bounds, cumulative, BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits)), running);
    }
}

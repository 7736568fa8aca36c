using System.Diagnostics;

namespace Inferd.Cli.Bench;

/// <summary>
/// Send times of an open loop: exponentially distributed gaps (Poisson arrivals) at a fixed mean rate from a fixed
/// seed, in <see cref="Stopwatch"/> ticks. Thread-safe.
/// </summary>
internal sealed class PoissonSchedule(double ratePerSecond, long startTicks, int seed)
{
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);
    private readonly double _meanGapTicks = Stopwatch.Frequency / ratePerSecond;
    private double _next = startTicks;

    /// <summary>The next scheduled send time.</summary>
    public long Next()
    {
        lock (_lock)
        {
            // -ln(U) with U in (0, 1] is Exp(1).
            _next += -Math.Log(1.0 - _random.NextDouble()) * _meanGapTicks;
            return (long)_next;
        }
    }
}

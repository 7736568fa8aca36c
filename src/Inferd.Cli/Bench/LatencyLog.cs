namespace Inferd.Cli.Bench;

/// <summary>
/// One worker's latencies since the last drain. The worker appends under an uncontended lock; the runner drains
/// every worker at a window boundary, so a request belongs to the window in which it completed. The buffer is
/// reused, so steady-state recording allocates nothing.
/// </summary>
internal sealed class LatencyLog
{
    private readonly Lock _lock = new();
    private long[] _ticks = new long[1024];
    private int _count;
    private int _errors;

    /// <summary>Records a successful request's latency in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public void Record(long ticks)
    {
        lock (_lock)
        {
            if (_count == _ticks.Length)
            {
                Array.Resize(ref _ticks, _ticks.Length * 2);
            }

            _ticks[_count++] = ticks;
        }
    }

    /// <summary>Records a failed request.</summary>
    public void RecordError()
    {
        lock (_lock)
        {
            _errors++;
        }
    }

    /// <summary>Moves everything recorded so far into <paramref name="window"/> (or drops it when null).</summary>
    public void DrainInto(LatencyWindow? window)
    {
        lock (_lock)
        {
            window?.Add(_ticks.AsSpan(0, _count), _errors);
            _count = 0;
            _errors = 0;
        }
    }
}

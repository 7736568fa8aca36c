namespace Inferd.Processing.Pipelines;

/// <summary>Counters of one pipeline step, updated lock-free by every call.</summary>
public sealed class StepStatistics
{
    private long _count;
    private long _failures;
    private long _totalNs;
    private int _running;
    private int _maxRunning;

    internal StepStatistics(string name, string kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>Step name.</summary>
    public string Name { get; }

    /// <summary>Step kind.</summary>
    public string Kind { get; }

    /// <summary>Successful calls.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Failed calls.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Total time of successful calls in nanoseconds.</summary>
    public long TotalNs => Interlocked.Read(ref _totalNs);

    /// <summary>The most calls of this step seen running at once.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxRunning);

    internal void Started()
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }
    }

    internal void Finished(long elapsedNs, bool ok)
    {
        Interlocked.Decrement(ref _running);
        if (ok)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _totalNs, elapsedNs);
        }
        else
        {
            Interlocked.Increment(ref _failures);
        }
    }
}

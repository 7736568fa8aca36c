namespace Inferd.Bench.Batch;

/// <summary>One stage of a batch job, timed alone over the whole input.</summary>
/// <param name="Stage">What ran.</param>
/// <param name="Rows">Rows it handled.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="CpuSeconds">Process CPU time (all threads).</param>
/// <param name="AllocatedBytesPerRow">Managed bytes allocated per row (whole process), or null when not measured.</param>
internal sealed record StageTiming(string Stage, long Rows, double Seconds, double CpuSeconds, double? AllocatedBytesPerRow)
{
    /// <summary>Rows per second.</summary>
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;

    /// <summary>Cores busy on average: CPU time ÷ wall time.</summary>
    public double CoresBusy => Seconds > 0 ? CpuSeconds / Seconds : 0;

    /// <summary>Microseconds per row.</summary>
    public double MicrosecondsPerRow => Rows > 0 ? Seconds * 1e6 / Rows : 0;
}

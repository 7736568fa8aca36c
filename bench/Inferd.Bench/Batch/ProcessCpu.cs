using System.Diagnostics;

namespace Inferd.Bench.Batch;

/// <summary>This process's CPU time: with wall time it tells how many of the cores a stage kept busy.</summary>
internal static class ProcessCpu
{
    /// <summary>User + system CPU seconds of every thread so far.</summary>
    public static double Seconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }
}

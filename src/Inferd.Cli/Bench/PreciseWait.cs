using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Inferd.Cli.Bench;

/// <summary>
/// Blocks the calling thread until a <see cref="Stopwatch"/> time with sub-millisecond precision (nanosleep on
/// Linux; <see cref="Thread.Sleep(int)"/> has whole-millisecond granularity), for open-loop send times.
/// </summary>
internal static partial class PreciseWait
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 50_000; // 20 µs

    public static void Until(long ticks)
    {
        while (true)
        {
            var remaining = ticks - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            if (remaining <= SpinTicks)
            {
                Thread.Yield();
                continue;
            }

            var ns = (long)((remaining - SpinTicks) * (1_000_000_000.0 / Stopwatch.Frequency));
            if (OperatingSystem.IsLinux())
            {
                var request = new TimeSpec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
                _ = NanoSleep(in request, IntPtr.Zero);
            }
            else
            {
                Thread.Sleep((int)Math.Max(1, ns / 1_000_000));
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in TimeSpec request, IntPtr remaining);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

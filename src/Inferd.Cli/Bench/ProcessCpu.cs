using System.Globalization;
using System.Runtime.InteropServices;

namespace Inferd.Cli.Bench;

/// <summary>Reads a process's CPU time (user + system) from <c>/proc/PID/stat</c> (Linux).</summary>
internal static partial class ProcessCpu
{
    private const int ScClkTck = 2; // _SC_CLK_TCK on Linux.

    private static readonly Lazy<long> TicksPerSecond = new(() =>
    {
        try
        {
            var ticks = Sysconf(ScClkTck);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    });

    /// <summary>CPU time used so far in µs, or null when the process or <c>/proc</c> cannot be read.</summary>
    public static double? ReadMicroseconds(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return ParseStat(text) is { } ticks ? ticks * 1_000_000.0 / TicksPerSecond.Value : null;
    }

    /// <summary>utime + stime (fields 14 and 15) of a <c>/proc/PID/stat</c> line, in clock ticks.</summary>
    public static long? ParseStat(string stat)
    {
        // The command name (field 2) is in parentheses and may itself hold spaces and parentheses: skip to the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ")" come field 3 (state) onwards: utime is field 14, so index 11 here; stime index 12.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? user + system
            : null;
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long Sysconf(int name);
}

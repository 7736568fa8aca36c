using System.Globalization;

namespace Inferd.Bench.Suite;

/// <summary>
/// Which cores the server and the load generator run on. With <c>taskset</c> and two or more allowed cores, the
/// server gets the first half and the load generator the rest (benchmarks.md: unpinned processes on 2 cores show
/// 4–8 ms p99 spikes); otherwise both share every core.
/// </summary>
/// <param name="ServerCpus">CPU ids for the server and the in-process (raw) modes; empty when not pinned.</param>
/// <param name="ClientCpus">CPU ids for the load generator; empty when not pinned.</param>
/// <param name="ServerCoreCount">Cores the server's sessions may use: the intra-op thread count of every model.</param>
internal sealed record CpuLayout(IReadOnlyList<int> ServerCpus, IReadOnlyList<int> ClientCpus, int ServerCoreCount)
{
    /// <summary>Whether processes are pinned.</summary>
    public bool Pinned => ServerCpus.Count > 0;

    /// <summary>A line for the report.</summary>
    public string Describe() => Pinned
        ? $"pinned with taskset: server and raw modes on CPU {List(ServerCpus)}, load generator on CPU {List(ClientCpus)}"
        : $"not pinned (taskset missing or one core): server and load generator share {ServerCoreCount} core(s); expect latency spikes";

    /// <summary>The layout for this machine.</summary>
    public static CpuLayout Detect()
    {
        var allowed = AllowedCpus();
        if (allowed.Count >= 2 && TasksetPath() is not null)
        {
            var half = allowed.Count / 2;
            return new CpuLayout(allowed.Take(half).ToList(), allowed.Skip(half).ToList(), half);
        }

        return new CpuLayout([], [], Math.Max(1, allowed.Count));
    }

    /// <summary>taskset's CPU list syntax, e.g. <c>0,1</c>.</summary>
    public static string List(IReadOnlyList<int> cpus) => string.Join(',', cpus.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Parses a kernel CPU list such as <c>0-3,6,8-9</c>.</summary>
    public static IReadOnlyList<int> ParseList(string text)
    {
        var cpus = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                cpus.Add(int.Parse(part, CultureInfo.InvariantCulture));
            }
            else
            {
                var (first, last) = (int.Parse(part[..dash], CultureInfo.InvariantCulture), int.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture));
                for (var cpu = first; cpu <= last; cpu++)
                {
                    cpus.Add(cpu);
                }
            }
        }

        return cpus;
    }

    /// <summary>Full path of taskset, or null.</summary>
    public static string? TasksetPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "taskset"))
            .FirstOrDefault(File.Exists);

    private static IReadOnlyList<int> AllowedCpus()
    {
        const string key = "Cpus_allowed_list:";
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            if (line is not null)
            {
                return ParseList(line[key.Length..]);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or /proc is not mounted: fall through to the processor count.
        }

        return Enumerable.Range(0, Environment.ProcessorCount).ToList();
    }
}

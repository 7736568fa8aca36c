using System.Diagnostics;

namespace Inferd.Cli.Bench;

/// <summary>
/// Measures load points with perf_analyzer's method (benchmarks.md): warm up, then windows until the last three
/// agree (<see cref="StabilityRule"/>) or the window budget is spent, then report the merged last three windows.
/// </summary>
internal sealed class LoadRunner(BenchTarget target, BenchSettings settings, TextWriter progress)
{
    private const int WarmupRequests = 200;
    private static readonly TimeSpan WarmupCap = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WarmupPoll = TimeSpan.FromMilliseconds(50);

    private readonly LatencyWindow[] _pool = Enumerable.Range(0, StabilityRule.Windows + 1).Select(_ => new LatencyWindow()).ToArray();
    private bool _warm;

    /// <summary>Runs one load point.</summary>
    public async Task<PointResult> RunAsync(LoadPoint point, CancellationToken cancellationToken)
    {
        var load = LoadGenerator.Start(target, point, settings.Seed, cancellationToken);
        try
        {
            if (!_warm)
            {
                await WarmUpAsync(load, cancellationToken).ConfigureAwait(false);
                _warm = true;
            }

            return await MeasureAsync(load, point, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await load.StopAsync().ConfigureAwait(false);
            if (load.FirstError is { } error)
            {
                progress.WriteLine($"inferd bench: requests failed, first error: {error}");
            }
        }
    }

    private async Task WarmUpAsync(LoadGenerator load, CancellationToken cancellationToken)
    {
        if (settings.Warmup <= TimeSpan.Zero)
        {
            return;
        }

        // JIT tiering, connection setup and arena growth: at least --warmup-ms and at least 200 requests.
        var scratch = _pool[0];
        var started = Stopwatch.GetTimestamp();
        long requests = 0;
        while (true)
        {
            await Task.Delay(WarmupPoll, cancellationToken).ConfigureAwait(false);
            scratch.Clear();
            load.DrainInto(scratch);
            requests += scratch.Count + scratch.Errors;
            var elapsed = Stopwatch.GetElapsedTime(started);
            if ((elapsed >= settings.Warmup && requests >= WarmupRequests) || elapsed >= WarmupCap)
            {
                return;
            }
        }
    }

    private async Task<PointResult> MeasureAsync(LoadGenerator load, LoadPoint point, CancellationToken cancellationToken)
    {
        load.DrainInto(null);
        var boundaries = new List<Boundary> { await SnapshotAsync(cancellationToken).ConfigureAwait(false) };
        var windows = new List<LatencyWindow>();
        var throughputs = new List<double>();
        var p95s = new List<double>();
        long errors = 0;
        var stable = false;
        for (var n = 1; n <= settings.MaxWindows; n++)
        {
            var due = boundaries[^1].Ticks + (long)(settings.Window.TotalSeconds * Stopwatch.Frequency);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
            }

            // Recycle the window that fell out of the last three.
            var window = windows.Count > StabilityRule.Windows ? windows[^(StabilityRule.Windows + 1)] : _pool[windows.Count];
            window.Clear();
            load.DrainInto(window);
            var boundary = await SnapshotAsync(cancellationToken).ConfigureAwait(false);
            boundaries.Add(boundary);
            windows.Add(window);
            window.Sort();
            errors += window.Errors;
            throughputs.Add(window.Count / Seconds(boundaries[^2].Ticks, boundary.Ticks));
            p95s.Add(Percentiles.NearestRank(window.Ticks, 95));
            if (StabilityRule.IsStable(throughputs, p95s, settings.Stability))
            {
                stable = true;
                break;
            }
        }

        return Merge(point, windows, boundaries, errors, stable);
    }

    private PointResult Merge(LoadPoint point, List<LatencyWindow> windows, List<Boundary> boundaries, long errors, bool stable)
    {
        var merged = Math.Min(StabilityRule.Windows, windows.Count);
        var last = windows.Skip(windows.Count - merged).ToArray();
        var all = new LatencyWindow();
        foreach (var w in last)
        {
            all.Add(w.Ticks, w.Errors);
        }

        all.Sort();
        var first = boundaries[^(merged + 1)];
        var end = boundaries[^1];
        var seconds = Seconds(first.Ticks, end.Ticks);
        var requests = all.Count + all.Errors;
        double sum = 0;
        foreach (var t in all.Ticks)
        {
            sum += t;
        }

        var rps = all.Count / seconds;
        return new PointResult
        {
            Point = point,
            RequestsPerSecond = rps,
            ItemsPerSecond = rps * target.ItemsPerRequest,
            AverageUs = all.Count == 0 ? 0 : Us(sum / all.Count),
            P50Us = Us(Percentiles.NearestRank(all.Ticks, 50)),
            P90Us = Us(Percentiles.NearestRank(all.Ticks, 90)),
            P95Us = Us(Percentiles.NearestRank(all.Ticks, 95)),
            P99Us = Us(Percentiles.NearestRank(all.Ticks, 99)),
            MaxUs = all.Count == 0 ? 0 : Us(all.Ticks[^1]),
            Errors = errors,
            Stable = stable,
            Windows = merged,
            ServerCpuUsPerRequest = first.CpuUs is { } c0 && end.CpuUs is { } c1 && requests > 0 ? (c1 - c0) / requests : null,
            ClientAllocBytesPerRequest = requests == 0 ? 0 : (double)(end.AllocatedBytes - first.AllocatedBytes) / requests,
            Server = first.Stats is { } s0 && end.Stats is { } s1 ? s1.Since(s0) : null,
        };
    }

    private async Task<Boundary> SnapshotAsync(CancellationToken cancellationToken)
    {
        var ticks = Stopwatch.GetTimestamp();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = settings.ServerPid is { } pid ? ProcessCpu.ReadMicroseconds(pid) : null;
        var stats = await target.ReadStatsAsync(cancellationToken).ConfigureAwait(false);
        return new Boundary(ticks, allocated, cpu, stats);
    }

    private static double Seconds(long from, long to) => Math.Max(1, to - from) / (double)Stopwatch.Frequency;

    private static double Us(double ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    private sealed record Boundary(long Ticks, long AllocatedBytes, double? CpuUs, ServerStats? Stats);
}

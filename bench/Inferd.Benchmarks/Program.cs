using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Inferd.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher, so every BenchmarkDotNet option works (<c>--filter</c>, <c>--job</c>,
/// <c>--list flat</c>). Options of our own:
/// <list type="bullet">
/// <item><c>--smoke</c>: every case briefly in this process (BenchmarkDotNet's dry job: one call per iteration,
/// 1 warm-up, 3 iterations, cold JIT). It checks that the cases run; its numbers are not figures to quote.</item>
/// <item><c>--loh-probe</c>: reports large-object-heap allocation of the small cases (<see cref="LohProbe"/>).</item>
/// </list>
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--loh-probe", StringComparer.Ordinal))
        {
            return LohProbe.Run();
        }

        // BenchmarkDotNet rebuilds the whole project graph without the compiler server for each run; on 2 shared
        // cores that takes longer than its default 2-minute build timeout.
        var config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15));
        if (args.Contains("--smoke", StringComparer.Ordinal))
        {
            args = args.Where(a => a != "--smoke").ToArray();
            config = config.AddJob(Job.Dry
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId("smoke"));
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}

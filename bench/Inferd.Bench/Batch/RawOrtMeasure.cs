using System.Diagnostics;
using System.Runtime.InteropServices;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime.Baseline;

namespace Inferd.Bench.Batch;

/// <summary>
/// The model ceiling (benchmarks.md): <see cref="RawOrtRunner"/> sessions on the model file the server loads, laid out
/// as the server lays them out, each running one pre-allocated batch in a loop on its own thread. Rows/s is
/// batch × runs ÷ the window.
/// </summary>
internal sealed class RawOrtMeasure : IDisposable
{
    private readonly RawOrtRunner[] _runners;

    private RawOrtMeasure(RawOrtRunner[] runners, int batchSize, ThreadLayout layout)
    {
        _runners = runners;
        BatchSize = batchSize;
        Layout = layout;
    }

    /// <summary>Rows per run.</summary>
    public int BatchSize { get; }

    /// <summary>Sessions and threads.</summary>
    public ThreadLayout Layout { get; }

    /// <summary>Opens one session per instance with <paramref name="batch"/> (row-major floats) as its input.</summary>
    public static RawOrtMeasure Create(string modelFile, ThreadLayout layout, int batchSize, float[] batch)
    {
        var bytes = MemoryMarshal.AsBytes(batch.AsSpan()).ToArray();
        var runners = new List<RawOrtRunner>();
        try
        {
            for (var i = 0; i < layout.Instances; i++)
            {
                runners.Add(RawOrtRunner.Create(modelFile, layout.IntraOpThreads, disableSpinning: !layout.Spinning, (name, type, declared) =>
                {
                    if (type != DataType.Fp32)
                    {
                        throw new ArgumentException($"input '{name}' is {type.ToWireName()}; the batch bench generates FP32 inputs");
                    }

                    return new InferenceTensor(name, type, [batchSize, .. declared[1..]], bytes);
                }));
            }

            return new RawOrtMeasure([.. runners], batchSize, layout);
        }
        catch
        {
            foreach (var runner in runners)
            {
                runner.Dispose();
            }

            throw;
        }
    }

    /// <summary>Runs for <paramref name="warmup"/> untimed, then for <paramref name="window"/> timed.</summary>
    public RawSample Measure(TimeSpan warmup, TimeSpan window)
    {
        RunFor(warmup);
        var cpu = ProcessCpu.Seconds();
        var (runs, elapsed) = RunFor(window);
        return new RawSample(runs * BatchSize, elapsed.TotalSeconds, ProcessCpu.Seconds() - cpu);
    }

    public void Dispose()
    {
        foreach (var runner in _runners)
        {
            runner.Dispose();
        }
    }

    private (long Runs, TimeSpan Elapsed) RunFor(TimeSpan duration)
    {
        var counts = new long[_runners.Length];
        var start = Stopwatch.GetTimestamp();
        var stop = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var threads = new Thread[_runners.Length];
        for (var i = 0; i < threads.Length; i++)
        {
            var index = i;
            threads[i] = new Thread(() =>
            {
                var runner = _runners[index];
                long runs = 0;
                do
                {
                    runner.Run();
                    runs++;
                }
                while (Stopwatch.GetTimestamp() < stop);

                counts[index] = runs;
            })
            { IsBackground = true, Name = "raw-ort-" + index };
            threads[i].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return (counts.Sum(), Stopwatch.GetElapsedTime(start));
    }
}

using System.Diagnostics;
using System.Globalization;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Inferd.Backends.OnnxRuntime;

/// <summary>
/// The automatic thread layout (<c>parameters { key: "instance_layout" value: { string_value: "auto" } }</c>): tries
/// a few splits of the cores into sessions × intra-op threads, runs each on batch-1 zero inputs for a short
/// measurement, and keeps the fastest. Small models run best as one single-threaded session per core (two 1-thread
/// sessions reached 296k items/s where one 2-thread session reached 172k on the MLP of benchmarks.md); large ones
/// as one session using every core. Measuring settles it per model instead of guessing.
/// </summary>
internal static class LayoutProbe
{
    /// <summary>Measurement per candidate after warm-up; 300 ms keeps a 3-candidate load under about a second.</summary>
    public static readonly TimeSpan MeasureTime = TimeSpan.FromMilliseconds(300);

    private const int WarmupRuns = 10;

    /// <summary>Candidate (instances, threads) layouts that use every core without oversubscribing.</summary>
    public static IReadOnlyList<(int Instances, int Threads)> Candidates(int cores)
    {
        var list = new List<(int, int)> { (1, cores) };
        for (var instances = 2; instances <= cores; instances *= 2)
        {
            if (cores % instances == 0)
            {
                list.Add((instances, cores / instances));
            }
        }

        if (!list.Contains((cores, 1)))
        {
            list.Add((cores, 1));
        }

        return list;
    }

    /// <summary>Runs every session concurrently on zero inputs and returns runs per second.</summary>
    public static double Measure(InferenceSession[] sessions, ModelSignature signature, CancellationToken cancellationToken)
    {
        var workers = new Task<long>[sessions.Length];
        var deadline = 0L;
        using var start = new ManualResetEventSlim();
        for (var i = 0; i < sessions.Length; i++)
        {
            var session = sessions[i];
            workers[i] = Task.Factory.StartNew(
                () =>
                {
                    var inputs = ZeroInputs(signature);
                    try
                    {
                        using var options = new RunOptions();
                        var names = signature.Inputs.Select(s => s.Name).ToArray();
                        var outputs = signature.Outputs.Select(s => s.Name).ToArray();
                        for (var w = 0; w < WarmupRuns; w++)
                        {
                            using var r = session.Run(options, names, inputs, outputs);
                        }

                        start.Wait(cancellationToken);
                        long runs = 0;
                        while (Stopwatch.GetTimestamp() < Volatile.Read(ref deadline))
                        {
                            using var r = session.Run(options, names, inputs, outputs);
                            runs++;
                        }

                        return runs;
                    }
                    finally
                    {
                        foreach (var v in inputs)
                        {
                            v.Dispose();
                        }
                    }
                },
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        // Start together after every worker warmed up enough to be scheduled; the deadline bounds the window.
        var begin = Stopwatch.GetTimestamp();
        Volatile.Write(ref deadline, begin + (long)(MeasureTime.TotalSeconds * Stopwatch.Frequency));
        start.Set();
        Task.WaitAll(workers, cancellationToken);
        var seconds = (Stopwatch.GetTimestamp() - begin) / (double)Stopwatch.Frequency;
        return workers.Sum(w => w.Result) / Math.Max(seconds, 1e-6);
    }

    /// <summary>Formats a measured rate for the load log line, e.g. 12.3k.</summary>
    public static string Rate(double perSecond) =>
        perSecond >= 1000 ? (perSecond / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k" : perSecond.ToString("0", CultureInfo.InvariantCulture);

    private static OrtValue[] ZeroInputs(ModelSignature signature)
    {
        var values = new OrtValue[signature.Inputs.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var s = signature.Inputs[i];
            var shape = s.Shape.Select(d => d < 0 ? 1L : d).ToArray();
            values[i] = s.DataType == DataType.Bytes
                ? OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape)
                : OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, ElementTypes.ToOrt(s.DataType), shape);
            if (s.DataType != DataType.Bytes)
            {
                values[i].GetTensorMutableRawData().Clear();
            }
        }

        return values;
    }
}

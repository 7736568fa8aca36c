using Inferd.Abstractions.Tensors;
using Inferd.Abstractions.Inference;
using Inferd.Backends.OnnxRuntime.Baseline;

namespace Inferd.Cli.Bench;

/// <summary>
/// The model ceiling (benchmarks.md): in-process ONNX Runtime, one session per worker, inputs and outputs as
/// OrtValues allocated once in native memory, so each call is a bare <c>Run</c>. Spinning is off with more than one
/// session, and sessions × intra-op threads default to the cores.
/// </summary>
internal sealed class RawBenchTarget : BenchTarget
{
    private readonly SessionRunner[] _runners;
    private int _next;

    private RawBenchTarget(SessionRunner[] runners, int itemsPerRequest)
    {
        _runners = runners;
        ItemsPerRequest = itemsPerRequest;
    }

    public override int ItemsPerRequest { get; }

    public override bool IsSynchronous => true;

    public override int? FixedWorkers => _runners.Length;

    /// <exception cref="UsageException">The file is missing or has inputs the bench cannot build.</exception>
    public static RawBenchTarget Create(BenchSettings settings)
    {
        var path = settings.ModelFile!;
        if (!File.Exists(path))
        {
            throw new UsageException($"--model-file: no such file: {path}");
        }

        var instances = settings.Instances;
        var runners = new List<SessionRunner>();
        var items = 1;
        try
        {
            for (var i = 0; i < instances; i++)
            {
                var random = new Random(settings.Seed);
                var runner = RawOrtRunner.Create(
                    path,
                    settings.IntraOpThreads ?? Math.Max(1, Environment.ProcessorCount / instances),
                    disableSpinning: instances > 1,
                    (name, type, declared) => BenchInputs.Random(name, type, BenchInputs.Shape(name, declared, declared.Length > 0 && declared[0] < 0, settings.BatchSize), random).ToInferenceTensor());
                runners.Add(new SessionRunner(runner));
                if (!runner.Batches && settings.BatchSize != 1)
                {
                    throw new UsageException($"--batch-size {settings.BatchSize}: the model's inputs have no variable first dimension");
                }

                items = runner.Batches ? settings.BatchSize : 1;
            }
        }
        catch (InferenceException e)
        {
            foreach (var r in runners)
            {
                r.Dispose();
            }

            throw new IOException($"{path}: {e.Message}", e);
        }
        catch
        {
            foreach (var r in runners)
            {
                r.Dispose();
            }

            throw;
        }

        return new RawBenchTarget([.. runners], items);
    }

    public override BenchWorker CreateWorker() => _runners[(Interlocked.Increment(ref _next) - 1) % _runners.Length];

    public override ValueTask DisposeAsync()
    {
        foreach (var r in _runners)
        {
            r.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>One session with its pre-allocated input and output values.</summary>
    private sealed class SessionRunner(RawOrtRunner runner) : BenchWorker, IDisposable
    {
        public override ValueTask<bool> SendAsync(CancellationToken cancellationToken)
        {
            runner.Run();
            return new ValueTask<bool>(true);
        }

        public void Dispose() => runner.Dispose();
    }
}

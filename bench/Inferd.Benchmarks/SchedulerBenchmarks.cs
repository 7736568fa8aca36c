using BenchmarkDotNet.Attributes;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Core.Scheduling;

namespace Inferd.Benchmarks;

/// <summary>
/// The scheduler alone, over a model that costs nothing (it returns its inputs), so every nanosecond and byte
/// reported is the scheduler's:
/// <list type="bullet">
/// <item><see cref="Inline"/>: one batch-1 request on an idle instance (the low-load path: one lock, no hand-off).</item>
/// <item><see cref="Burst64"/>: 64 requests issued while the instance is busy; they queue and run as merged batches
/// (dynamic batching with a zero delay), per request.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class SchedulerBenchmarks
{
    private const int Burst = 64;

    private readonly string[] _outputs = ["OUTPUT0"];
    private readonly Task<ScheduledResult>[] _tasks = new Task<ScheduledResult>[Burst];
    private InferenceTensor[] _inputs = [];
    private ModelScheduler? _inline;
    private ModelScheduler? _batched;

    [GlobalSetup]
    public void Setup()
    {
        _inputs = [new InferenceTensor("INPUT0", DataType.Fp32, [1, 4], new byte[16])];
        var config = new ModelConfig
        {
            Name = "noop",
            MaxBatchSize = 64,
            DynamicBatching = new DynamicBatchingConfig([], 0, false),
        };
        _inline = new ModelScheduler("noop", config, new EchoModel(yields: false), new VersionStatistics(), TimeProvider.System);
        _batched = new ModelScheduler("noop", config, new EchoModel(yields: true), new VersionStatistics(), TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _inline?.Dispose();
        _batched?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task Inline() => _inline!.ScheduleAsync(_inputs, _outputs, 1, 0, 0, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Burst)]
    public async Task Burst64()
    {
        for (var i = 0; i < Burst; i++)
        {
            _tasks[i] = _batched!.ScheduleAsync(_inputs, _outputs, 1, 0, 0, CancellationToken.None);
        }

        await Task.WhenAll(_tasks).ConfigureAwait(false);
    }

    /// <summary>Returns its inputs as outputs; with <c>yields</c> the run completes asynchronously, keeping the instance busy.</summary>
    private sealed class EchoModel(bool yields) : ILoadedModel
    {
        public ModelSignature Signature { get; } = new([], []);

        public string Description => "echo";

        public int InstanceCount => 1;

        public async ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(int instance, IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputNames, RunTimings timings, CancellationToken cancellationToken)
        {
            if (yields)
            {
                await Task.Yield();
            }

            return [inputs[0] with { Name = outputNames[0] }];
        }

        public void Dispose()
        {
        }
    }
}

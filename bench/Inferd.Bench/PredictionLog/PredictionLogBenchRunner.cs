using System.Diagnostics;
using System.Globalization;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Monitoring;
using Inferd.Monitoring.PredictionLog;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Bench.PredictionLog;

/// <summary>
/// Three facades over the same model in one process: no observer, a best-effort writer and a durable writer, each
/// over its own SQLite file. Callers send one-row requests to one facade for a fixed window; rounds interleave the
/// modes (rotating which goes first) so drift in machine speed hits all three alike. Reports requests per second,
/// the ratio against "off", and what the writers did (records, drops, records per commit).
/// </summary>
internal sealed class PredictionLogBenchRunner(PredictionLogBenchOptions options, string modelId, TextWriter output)
{
    private const string Model = "m";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var root = Path.Combine(Path.GetFullPath(options.Folder), modelId);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var repository = Directory.CreateDirectory(Path.Combine(root, "models")).FullName;
        var model = BenchModels.Find(modelId);
        var version = Directory.CreateDirectory(Path.Combine(repository, Model, "1")).FullName;
        File.WriteAllBytes(Path.Combine(version, "model.onnx"), model.Build());
        // One intra-op thread: three sessions share two cores, and request concurrency, not intra-op threads, fills them.
        File.WriteAllText(Path.Combine(repository, Model, "config.pbtxt"), BenchModels.Config(model, Model, batched: false, intraOpThreads: 1));

        var modes = new List<Mode>
        {
            await Mode.StartAsync("off", repository, null, cancellationToken),
            await Mode.StartAsync("best-effort", repository, Writer(Path.Combine(root, "best-effort.db"), PredictionLogMode.BestEffort), cancellationToken),
            await Mode.StartAsync("durable", repository, Writer(Path.Combine(root, "durable.db"), PredictionLogMode.Durable), cancellationToken),
        };
        try
        {
            var input = Input(model.InputItemElements);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Prediction log: {modelId} ({model.InputItemElements} FP32 in, {model.OutputItemElements} out), {options.Callers} callers, {options.Rounds} rounds × {options.Window.TotalSeconds:0.##} s per mode, {Environment.ProcessorCount} cores, SQLite in {root}"));
            foreach (var mode in modes)
            {
                // Warm-up: JIT, session first runs, the writers' first commits.
                await RunWindowAsync(mode, input, TimeSpan.FromMilliseconds(300), cancellationToken);
                mode.Reset();
            }

            for (var round = 0; round < options.Rounds; round++)
            {
                for (var i = 0; i < modes.Count; i++)
                {
                    var mode = modes[(round + i) % modes.Count];
                    var (requests, seconds) = await RunWindowAsync(mode, input, options.Window, cancellationToken);
                    mode.Requests += requests;
                    mode.Seconds += seconds;
                }
            }

            foreach (var mode in modes.Where(m => m.Writer is not null))
            {
                await mode.Writer!.StopAsync(cancellationToken);
            }

            Report(modes);
            var failed = modes.Where(m => m.Errors > 0 || (m.Writer?.Errors ?? 0) > 0).ToList();
            foreach (var mode in failed)
            {
                Console.Error.WriteLine($"inferd-bench: {mode.Name}: {mode.Errors} failed requests, {mode.Writer?.Errors ?? 0} log errors; first: {mode.FirstError}");
            }

            return failed.Count == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var mode in modes)
            {
                await mode.DisposeAsync();
            }
        }
    }

    private static PredictionLogWriter Writer(string path, PredictionLogMode mode) =>
        new(new SqlitePredictionLogStore(path), new MonitoringOptions { PredictionLog = path, PredictionLogMode = mode, HashKey = "bench" }, NullLogger.Instance);

    private void Report(List<Mode> modes)
    {
        var off = modes[0].Rate;
        output.WriteLine();
        output.WriteLine("| Mode | Requests | req/s | vs off | Records logged | Dropped | Records per commit |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var m in modes)
        {
            var writer = m.Writer;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {m.Name} | {m.Requests:N0} | {m.Rate:N0} | {m.Rate / off:0.000} | {(writer is null ? "-" : m.Logged.ToString("N0", CultureInfo.InvariantCulture))} | {(writer is null ? "-" : m.Dropped.ToString("N0", CultureInfo.InvariantCulture))} | {(writer is null ? "-" : writer.MeanBatchSize.ToString("0.0", CultureInfo.InvariantCulture))} |"));
        }

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best-effort costs {(1 - (modes[1].Rate / off)) * 100:0.0} % of throughput (goal: under 5 %); durable {(1 - (modes[2].Rate / off)) * 100:0.0} %."));
    }

    private async Task<(long Requests, double Seconds)> RunWindowAsync(Mode mode, InferenceTensor input, TimeSpan window, CancellationToken cancellationToken)
    {
        var request = new InferenceRequest(Model, null, null, [input], [], new Dictionary<string, ParameterValue>()) { Caller = "bench" };
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var callers = Enumerable.Range(0, options.Callers).Select(_ => Task.Run(async () =>
        {
            long done = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                try
                {
                    await mode.Service.InferAsync(request, cancellationToken);
                    done++;
                }
                catch (InferenceException e)
                {
                    mode.Fail(e);
                }
            }

            return done;
        }, cancellationToken)).ToArray();
        var counts = await Task.WhenAll(callers);
        return (counts.Sum(), Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static InferenceTensor Input(long elements)
    {
        var data = new byte[elements * sizeof(float)];
        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.AsSpan());
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = (i % 13) / 13f;
        }

        return new InferenceTensor(BenchModel.Input, DataType.Fp32, [1, elements], data);
    }

    private sealed class Mode : IAsyncDisposable
    {
        private long _errors;
        private long _writtenBase;
        private long _droppedBase;

        private Mode(string name, InferenceService service, PredictionLogWriter? writer)
        {
            Name = name;
            Service = service;
            Writer = writer;
        }

        public string Name { get; }

        public InferenceService Service { get; }

        public PredictionLogWriter? Writer { get; }

        public long Requests { get; set; }

        public double Seconds { get; set; }

        public double Rate => Requests / Seconds;

        public long Errors => Interlocked.Read(ref _errors);

        public string? FirstError { get; private set; }

        public static async Task<Mode> StartAsync(string name, string repository, PredictionLogWriter? writer, CancellationToken cancellationToken)
        {
            if (writer is not null)
            {
                await writer.StartAsync(cancellationToken);
            }

            var service = new InferenceService(
                new ModelRepositoryOptions(repository, ModelControlMode.None, [], TimeSpan.FromMinutes(1), StrictReadiness: true),
                new OnnxRuntimeBackend(),
                new RequestLimits(),
                TimeProvider.System,
                NullLogger<InferenceService>.Instance,
                new InferenceOptions { Observers = writer is null ? [] : [writer] });
            await service.StartAsync(cancellationToken);
            return new Mode(name, service, writer);
        }

        public void Fail(Exception e)
        {
            if (Interlocked.Increment(ref _errors) == 1)
            {
                FirstError = e.Message;
            }
        }

        /// <summary>Records committed since <see cref="Reset"/>.</summary>
        public long Logged => (Writer?.Written ?? 0) - _writtenBase;

        /// <summary>Records dropped since <see cref="Reset"/>.</summary>
        public long Dropped => (Writer?.Dropped ?? 0) - _droppedBase;

        public void Reset()
        {
            Requests = 0;
            Seconds = 0;
            _writtenBase = Writer?.Written ?? 0;
            _droppedBase = Writer?.Dropped ?? 0;
        }

        public async ValueTask DisposeAsync()
        {
            await Service.DisposeAsync();
            if (Writer is not null)
            {
                await Writer.DisposeAsync();
                await Writer.Store.DisposeAsync();
            }
        }
    }
}

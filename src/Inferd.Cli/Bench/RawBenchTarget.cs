using Inferd.Abstractions.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

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
                using var options = new SessionOptions
                {
                    IntraOpNumThreads = settings.IntraOpThreads ?? Math.Max(1, Environment.ProcessorCount / instances),
                    ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                };
                if (instances > 1)
                {
                    options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                }

                runners.Add(SessionRunner.Create(new InferenceSession(path, options), settings, out items));
            }
        }
        catch (OnnxRuntimeException e)
        {
            foreach (var r in runners)
            {
                r.Dispose();
            }

            throw new IOException($"{path}: ONNX Runtime could not run the model: {e.Message}", e);
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
    private sealed class SessionRunner : BenchWorker, IDisposable
    {
        private readonly InferenceSession _session;
        private readonly RunOptions _runOptions = new();
        private readonly string[] _inputNames;
        private readonly OrtValue[] _inputs;
        private readonly string[] _outputNames;
        private readonly OrtValue[]? _outputs;

        private SessionRunner(InferenceSession session, string[] inputNames, OrtValue[] inputs, string[] outputNames, OrtValue[]? outputs)
        {
            _session = session;
            _inputNames = inputNames;
            _inputs = inputs;
            _outputNames = outputNames;
            _outputs = outputs;
        }

        public static SessionRunner Create(InferenceSession session, BenchSettings settings, out int itemsPerRequest)
        {
            var random = new Random(settings.Seed);
            var names = new List<string>();
            var values = new List<OrtValue>();
            var batches = false;
            foreach (var (name, meta) in session.InputMetadata)
            {
                var type = FromOrt(meta.IsTensor ? meta.ElementDataType : TensorElementType.DataTypeMax, name);
                var declared = meta.Dimensions.Select(d => (long)d).ToArray();
                // A symbolic first dimension is the batch dimension.
                batches |= declared.Length > 0 && declared[0] < 0;
                var tensor = BenchInputs.Random(name, type, BenchInputs.Shape(name, declared, declared.Length > 0 && declared[0] < 0, settings.BatchSize), random);
                names.Add(name);
                values.Add(ToOrtValue(tensor, meta.ElementDataType));
            }

            if (!batches && settings.BatchSize != 1)
            {
                throw new UsageException($"--batch-size {settings.BatchSize}: the model's inputs have no variable first dimension");
            }

            itemsPerRequest = batches ? settings.BatchSize : 1;
            var outputNames = session.OutputMetadata.Keys.ToArray();

            // One allocating run learns the output shapes; then outputs are pre-allocated (not for strings, whose
            // buffers ONNX Runtime must allocate itself).
            OrtValue[]? outputs = null;
            using (var results = session.Run(new RunOptions(), names, values, outputNames))
            {
                if (results.All(r => r.IsTensor && r.GetTensorTypeAndShape().ElementDataType != TensorElementType.String))
                {
                    outputs = results
                        .Select(r => r.GetTensorTypeAndShape())
                        .Select(info => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, info.ElementDataType, info.Shape))
                        .ToArray();
                }
            }

            return new SessionRunner(session, [.. names], [.. values], outputNames, outputs);
        }

        public override ValueTask<bool> SendAsync(CancellationToken cancellationToken)
        {
            if (_outputs is not null)
            {
                _session.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);
            }
            else
            {
                _session.Run(_runOptions, _inputNames, _inputs, _outputNames).Dispose();
            }

            return new ValueTask<bool>(true);
        }

        public void Dispose()
        {
            foreach (var v in _inputs)
            {
                v.Dispose();
            }

            foreach (var v in _outputs ?? [])
            {
                v.Dispose();
            }

            _runOptions.Dispose();
            _session.Dispose();
        }

        private static OrtValue ToOrtValue(Inferd.Client.ClientTensor tensor, TensorElementType type)
        {
            if (tensor.DataType == DataType.Bytes)
            {
                var strings = tensor.AsStrings();
                var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
                for (var i = 0; i < strings.Length; i++)
                {
                    value.StringTensorSetElementAt(strings[i], i);
                }

                return value;
            }

            // Native memory owned by ONNX Runtime: nothing for the GC to move, nothing to pin per call.
            var allocated = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, tensor.Shape);
            tensor.Data.Span.CopyTo(allocated.GetTensorMutableRawData());
            return allocated;
        }

        private static DataType FromOrt(TensorElementType type, string name) => type switch
        {
            TensorElementType.Bool => DataType.Bool,
            TensorElementType.UInt8 => DataType.UInt8,
            TensorElementType.UInt16 => DataType.UInt16,
            TensorElementType.UInt32 => DataType.UInt32,
            TensorElementType.UInt64 => DataType.UInt64,
            TensorElementType.Int8 => DataType.Int8,
            TensorElementType.Int16 => DataType.Int16,
            TensorElementType.Int32 => DataType.Int32,
            TensorElementType.Int64 => DataType.Int64,
            TensorElementType.Float16 => DataType.Fp16,
            TensorElementType.Float => DataType.Fp32,
            TensorElementType.Double => DataType.Fp64,
            TensorElementType.String => DataType.Bytes,
            TensorElementType.BFloat16 => DataType.Bf16,
            _ => throw new UsageException($"input '{name}': its ONNX type is not supported by inferd bench"),
        };
    }
}

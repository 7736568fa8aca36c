using BenchmarkDotNet.Attributes;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Testing;
using Inferd.Testing.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace Inferd.Benchmarks;

/// <summary>
/// One batch-1 request without network, on real ONNX Runtime models, against the floor in the same run:
/// <list type="bullet">
/// <item><see cref="OrtRunPreallocated"/> (baseline): <c>InferenceSession.Run</c> with OrtValue inputs and outputs
/// created once; what inference itself costs.</item>
/// <item><see cref="OrtRunAllocatingOutputs"/>: the same call letting ONNX Runtime allocate the outputs, as the backend
/// does.</item>
/// <item><see cref="Validate"/>: <see cref="RequestValidator"/> alone against the loaded model's config.</item>
/// <item><see cref="InferAsync"/>: the facade, <see cref="InferenceService.InferAsync"/>, over the ONNX Runtime backend.</item>
/// </list>
/// Both the facade and the raw session run with one intra-op thread (config parameter <c>intra_op_thread_count</c>),
/// so the Ratio column is the facade's cost over the same native work.
/// </summary>
[MemoryDiagnoser]
public class InferencePathBenchmarks
{
    private const string ConfigJson = """{"max_batch_size": 8, "parameters": {"intra_op_thread_count": {"string_value": "1"}}}""";

    private readonly RequestLimits _limits = new();
    private TempDirectory? _repository;
    private InferenceService? _service;
    private InferenceRequest _request = null!;
    private ModelConfig _config = null!;
    private SessionOptions? _sessionOptions;
    private InferenceSession? _session;
    private RunOptions? _runOptions;
    private OrtValue[] _inputs = [];
    private OrtValue[] _outputs = [];
    private string[] _inputNames = [];
    private string[] _outputNames = [];

    /// <summary><c>noop</c>: Identity on FP32 [1,4]. <c>mlp</c>: 64→256→10 with Relu, FP32 [1,64] → [1,10].</summary>
    [Params("noop", "mlp")]
    public string Model { get; set; } = "noop";

    [GlobalSetup]
    public void Setup()
    {
        var (modelBytes, input, output, inElements, outElements) = Model switch
        {
            "noop" => (TestModels.Identity(DataType.Fp32, [-1, 4]), TestModels.Input0, TestModels.Output0, 4, 4),
            "mlp" => (TestModels.Mlp(64, 256, 10, DemoRepository.MlpSeed), TestModels.MlpInput, TestModels.MlpOutput, 64, 10),
            _ => throw new InvalidOperationException("unknown model " + Model),
        };

        _repository = new TempDirectory();
        var folder = Path.Combine(_repository.Path, Model);
        Directory.CreateDirectory(Path.Combine(folder, "1"));
        File.WriteAllBytes(Path.Combine(folder, "1", "model.onnx"), modelBytes);
        File.WriteAllText(Path.Combine(folder, "config.json"), ConfigJson);

        _service = new InferenceService(
            new ModelRepositoryOptions(_repository.Path, ModelControlMode.None, [], TimeSpan.FromSeconds(15), StrictReadiness: true),
            new OnnxRuntimeBackend(),
            _limits,
            TimeProvider.System,
            NullLogger<InferenceService>.Instance);
        _service.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        if (!_service.IsModelReady(Model, null))
        {
            throw new InvalidOperationException($"model '{Model}' did not load");
        }

        _config = _service.GetModelConfig(Model, null);
        var values = Payloads.Floats(inElements);
        _request = Payloads.Request(Model, input, values);

        _sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelBytes, _sessionOptions);
        _runOptions = new RunOptions();
        _inputNames = [input];
        _outputNames = [output];
        _inputs = [OrtValue.CreateTensorValueFromMemory(values, [1, inElements])];
        _outputs = [OrtValue.CreateTensorValueFromMemory(new float[outElements], [1, outElements])];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var value in _inputs.Concat(_outputs))
        {
            value.Dispose();
        }

        _runOptions?.Dispose();
        _session?.Dispose();
        _sessionOptions?.Dispose();
        _service?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _repository?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void OrtRunPreallocated() => _session!.Run(_runOptions, _inputNames, _inputs, _outputNames, _outputs);

    [Benchmark]
    public int OrtRunAllocatingOutputs()
    {
        using var results = _session!.Run(_runOptions, _inputNames, _inputs, _outputNames);
        return results.Count;
    }

    [Benchmark]
    public long Validate() => RequestValidator.Validate(_request, _config, _limits);

    [Benchmark]
    public Task<InferenceResponse> InferAsync() => _service!.InferAsync(_request, CancellationToken.None);
}

using System.Reflection;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Core.Scheduling;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Inferd.Core.Tests.Inference;

/// <summary>A facade over a temp repository of fake models.</summary>
internal sealed class ServiceFixture : IAsyncDisposable
{
    public const string Echo = "in x FP32 -1,4";
    public const string EchoOut = "out y FP32 -1,4";

    private readonly TempDirectory _dir = new();

    private readonly IModelBackend? _backend;
    private readonly InferenceOptions? _options;

    /// <param name="mode">Model control mode.</param>
    /// <param name="backend">A backend to use instead of <see cref="Backend"/> (for example a gated ONNX Runtime backend).</param>
    /// <param name="options">Server-wide inference options (the response cache size).</param>
    public ServiceFixture(ModelControlMode mode = ModelControlMode.Explicit, IModelBackend? backend = null, InferenceOptions? options = null)
    {
        Mode = mode;
        _backend = backend;
        _options = options;
    }

    public ModelControlMode Mode { get; }

    public string Root => _dir.Path;

    public FakeBackend Backend { get; } = new();

    public FakeTimeProvider Time { get; } = new();

    public InferenceService? Service { get; private set; }

    /// <summary>
    /// Makes every run wait until <paramref name="proceed"/> completes; <paramref name="entered"/> completes when a
    /// run has started. Lets a test act while a request is provably in flight, without sleeping.
    /// </summary>
    public void BlockRuns(out TaskCompletionSource entered, out TaskCompletionSource proceed)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Backend.Run = async (inputs, names, ct) =>
        {
            started.TrySetResult();
            await release.Task.WaitAsync(ct);
            return [inputs[0] with { Name = names[0], Data = inputs[0].Data.ToArray() }];
        };
        entered = started;
        proceed = release;
    }

    public void Model(string name, long version, params string[] lines) => FakeBackend.WriteModel(Root, name, version, lines);

    public void Config(string name, string json) => File.WriteAllText(Path.Combine(Root, name, "config.json"), json);

    /// <summary>Writes a real ONNX model file (for a real backend) and optionally its config.</summary>
    public void OnnxModel(string name, byte[] model, string? configJson = null, long version = 1)
    {
        var dir = Path.Combine(Root, name, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), model);
        if (configJson is not null)
        {
            Config(name, configJson);
        }
    }

    /// <summary>The scheduler of the latest ready version of <paramref name="model"/> (to read its queue length).</summary>
    public ModelScheduler Scheduler(string model)
    {
        var field = typeof(InferenceService).GetField("_manager", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("InferenceService has no _manager field any more; update ServiceFixture.Scheduler");
        var manager = (ModelManager)field.GetValue(Service ?? throw new InvalidOperationException("start the service first"))!;
        var loaded = manager.Acquire(model, null);
        try
        {
            return loaded.Scheduler;
        }
        finally
        {
            loaded.Release();
        }
    }

    /// <summary>The statistics of version 1 of <paramref name="model"/>.</summary>
    public ModelStatistics Stats(string model) => Assert.Single(Service!.GetStatistics(model, "1"));

    public async Task<InferenceService> StartAsync(params string[] startupModels)
    {
        Service = new InferenceService(
            new ModelRepositoryOptions(Root, Mode, startupModels, TimeSpan.FromSeconds(5), StrictReadiness: true),
            _backend ?? Backend,
            new RequestLimits(),
            Time,
            NullLogger<InferenceService>.Instance,
            _options);
        await Service.StartAsync(CancellationToken.None).DefaultTimeout();
        return Service;
    }

    public static InferenceRequest Request(string model, int batch = 1, string? version = null, params (string Key, ParameterValue Value)[] parameters) =>
        new(model, version, "r1",
            [new InferenceTensor("x", DataType.Fp32, [batch, 4], new byte[batch * 16])],
            [],
            parameters.ToDictionary(p => p.Key, p => p.Value));

    public async ValueTask DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        _dir.Dispose();
    }
}

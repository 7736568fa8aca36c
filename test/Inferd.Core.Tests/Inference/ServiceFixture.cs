using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
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

    public ServiceFixture(ModelControlMode mode = ModelControlMode.Explicit)
    {
        Mode = mode;
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
            return [inputs[0] with { Name = names[0] }];
        };
        entered = started;
        proceed = release;
    }

    public void Model(string name, long version, params string[] lines) => FakeBackend.WriteModel(Root, name, version, lines);

    public void Config(string name, string json) => File.WriteAllText(Path.Combine(Root, name, "config.json"), json);

    public async Task<InferenceService> StartAsync(params string[] startupModels)
    {
        Service = new InferenceService(
            new ModelRepositoryOptions(Root, Mode, startupModels, TimeSpan.FromSeconds(5), StrictReadiness: true),
            Backend,
            new RequestLimits(),
            Time,
            NullLogger<InferenceService>.Instance);
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

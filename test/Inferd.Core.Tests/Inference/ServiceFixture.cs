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

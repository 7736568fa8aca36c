using Inferd.Abstractions.Inference;
using Inferd.Backends.OnnxRuntime;
using Inferd.Batch.Service;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Testing;
using Inferd.Testing.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Inferd.Batch.Tests.Service;

/// <summary>
/// A job service over a real facade (ONNX Runtime, a tiny MLP named <c>mlp</c>), a temp data folder and a fake clock.
/// The manager is not started: submitted jobs stay queued, so tests see exactly what was submitted.
/// </summary>
internal sealed class JobServiceFixture : IAsyncDisposable
{
    public const string Model = "mlp";

    private readonly TempDirectory _repository = new();
    private readonly TempDirectory _data = new();
    private InferenceService? _service;

    private JobServiceFixture()
    {
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));

    public string DataDirectory => _data.Path;

    public string DatabasePath => Path.Combine(_data.Path, DataFolder.ReservedName, "jobs.db");

    public BatchJobManager Manager { get; private set; } = null!;

    public static async Task<JobServiceFixture> CreateAsync()
    {
        var fixture = new JobServiceFixture();
        var version = Path.Combine(fixture._repository.Path, Model, "1");
        Directory.CreateDirectory(version);
        File.WriteAllBytes(Path.Combine(version, "model.onnx"), TestModels.Mlp(4, 8, 1, seed: 1));
        fixture._service = new InferenceService(
            new ModelRepositoryOptions(fixture._repository.Path, ModelControlMode.None, [], TimeSpan.FromSeconds(5), StrictReadiness: true),
            new OnnxRuntimeBackend(),
            new RequestLimits(),
            fixture.Time,
            NullLogger<InferenceService>.Instance);
        await fixture._service.StartAsync(CancellationToken.None).DefaultTimeout();
        fixture.Manager = BatchJobManager.Create(
            new BatchJobManagerOptions { DataDirectory = fixture.DataDirectory, MinFileAge = TimeSpan.FromSeconds(5) },
            fixture._service,
            fixture.Time);
        return fixture;
    }

    /// <summary>Writes a file under the data folder, last changed <paramref name="ageSeconds"/> before the fake now.</summary>
    public string Write(string relative, string text, int ageSeconds = 60)
    {
        var path = Path.Combine(DataDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        File.SetLastWriteTimeUtc(path, Time.GetUtcNow().AddSeconds(-ageSeconds).UtcDateTime);
        return path;
    }

    /// <summary>A second handle on the manager's database, as another process (or the next start) would open it.</summary>
    public JobStore OpenStore() => JobStore.Open(DatabasePath);

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        _data.Dispose();
        _repository.Dispose();
    }
}

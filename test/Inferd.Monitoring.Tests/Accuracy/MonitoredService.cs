using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Monitoring.Tests.PredictionLog;
using Inferd.Testing;
using Inferd.Testing.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Monitoring.Tests.Accuracy;

/// <summary>
/// A real facade (real ONNX Runtime) over a temp repository with <c>score</c> (an FP32 identity whose config has
/// <c>monitoring.task</c> binary on OUTPUT0 and <c>monitoring.fairness</c> on input <c>group</c>, privileged a) and
/// <c>plain</c> (no monitoring section), plus a real SQLite prediction log.
/// </summary>
internal sealed class MonitoredService : IAsyncDisposable
{
    private readonly TempDirectory _folder;
    private readonly LogStoreUnderTest _log;

    private MonitoredService(TempDirectory folder, InferenceService service, LogStoreUnderTest log)
    {
        _folder = folder;
        Service = service;
        _log = log;
    }

    public InferenceService Service { get; }

    public Inferd.Monitoring.PredictionLog.IPredictionLogStore Store => _log.Store;

    public static async Task<MonitoredService> StartAsync()
    {
        var folder = new TempDirectory();
        Write(folder.Path, "score", """{"task": {"type": "binary", "output": "OUTPUT0", "threshold": 0.5}, "fairness": {"attribute": "group", "privileged": "a", "window": 10}}""");
        Write(folder.Path, "plain", null);
        var options = new ModelRepositoryOptions(folder.Path, ModelControlMode.None, [], TimeSpan.FromSeconds(15), StrictReadiness: true);
        var service = new InferenceService(options, new OnnxRuntimeBackend(), new RequestLimits(), TimeProvider.System, NullLogger<InferenceService>.Instance);
        await service.StartAsync(CancellationToken.None).DefaultTimeout();
        return new MonitoredService(folder, service, await LogStoreUnderTest.CreateAsync("sqlite"));
    }

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        await Service.DisposeAsync();
        _folder.Dispose();
    }

    private static void Write(string root, string name, string? monitoring)
    {
        Directory.CreateDirectory(Path.Combine(root, name, "1"));
        File.WriteAllBytes(Path.Combine(root, name, "1", "model.onnx"), TestModels.Identity(DataType.Fp32, [-1, 1]));
        var section = monitoring is null ? "" : ", \"monitoring\": " + monitoring;
        File.WriteAllText(Path.Combine(root, name, "config.json"), "{\"name\": \"" + name + "\", \"max_batch_size\": 8" + section + "}");
    }
}

using Inferd.Abstractions.Inference;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Inferd.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Processing.Tests.Pipelines;

/// <summary>A temporary model repository and, once started, a real facade over it with the pipeline backend.</summary>
internal sealed class PipelineRepository : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();

    public string Root => _temp.Path;

    public InferenceService? Service { get; private set; }

    /// <summary>Writes <c>&lt;model&gt;/config.json</c> and, per file, <c>&lt;model&gt;/1/&lt;name&gt;</c>.</summary>
    public PipelineRepository Model(string name, string config, params (string File, byte[] Bytes)[] files)
    {
        var version = Directory.CreateDirectory(Path.Combine(Root, name, "1")).FullName;
        File.WriteAllText(Path.Combine(Root, name, "config.json"), config);
        foreach (var (file, bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(version, file), bytes);
        }

        return this;
    }

    /// <summary>Starts a facade that loads every model (pipelines last).</summary>
    public async Task<InferenceService> StartAsync(ModelControlMode mode = ModelControlMode.None)
    {
        var options = new ModelRepositoryOptions(Root, mode, mode == ModelControlMode.Explicit ? ["*"] : [], TimeSpan.FromSeconds(15), StrictReadiness: false);
        Service = new InferenceService(options, new PipelineBackend(new OnnxRuntimeBackend()), new RequestLimits(), TimeProvider.System, NullLogger<InferenceService>.Instance);
        await Service.StartAsync(CancellationToken.None).DefaultTimeout();
        return Service;
    }

    /// <summary>Loads one model's version 1 directly through the backend, without a facade.</summary>
    public async Task<PipelineModel> LoadPipelineAsync(string name)
    {
        var config = ModelConfigJson.Read(File.ReadAllText(Path.Combine(Root, name, "config.json")), name).Config;
        var backend = new PipelineBackend(new OnnxRuntimeBackend());
        var model = await backend.LoadAsync(new Abstractions.Backends.ModelLoadContext(name, "1", Path.Combine(Root, name, "1"), config), CancellationToken.None).DefaultTimeout();
        return Assert.IsType<PipelineModel>(model);
    }

    public async ValueTask DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        _temp.Dispose();
    }
}

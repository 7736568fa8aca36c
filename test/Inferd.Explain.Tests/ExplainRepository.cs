using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Inferd.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Explain.Tests;

/// <summary>
/// A temporary model repository, a real facade over it (ONNX Runtime behind the pipeline backend) and an
/// <see cref="ExplanationService"/> with the given explainers.
/// </summary>
internal sealed class ExplainRepository : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();

    public string Root => _temp.Path;

    public InferenceService? Facade { get; private set; }

    /// <summary>Writes <c>&lt;model&gt;/config.json</c>, each file under <c>&lt;model&gt;/1/</c>, and optional model-directory files.</summary>
    public ExplainRepository Model(string name, string config, (string File, byte[] Bytes)[] versionFiles, params (string File, string Text)[] modelFiles)
    {
        var version = Directory.CreateDirectory(Path.Combine(Root, name, "1")).FullName;
        File.WriteAllText(Path.Combine(Root, name, "config.json"), config);
        foreach (var (file, bytes) in versionFiles)
        {
            File.WriteAllBytes(Path.Combine(version, file), bytes);
        }

        foreach (var (file, text) in modelFiles)
        {
            File.WriteAllText(Path.Combine(Root, name, file), text);
        }

        return this;
    }

    /// <summary>Starts the facade and returns an explanation service over it.</summary>
    public async Task<ExplanationService> StartAsync(IEnumerable<IExplainer> explainers, ExplainOptions? options = null)
    {
        var repository = new ModelRepositoryOptions(Root, ModelControlMode.None, [], TimeSpan.FromSeconds(15), StrictReadiness: false);
        Facade = new InferenceService(repository, new PipelineBackend(new OnnxRuntimeBackend()), new RequestLimits(), TimeProvider.System, NullLogger<InferenceService>.Instance);
        await Facade.StartAsync(CancellationToken.None).DefaultTimeout();
        return new ExplanationService(Facade, (options ?? new ExplainOptions()) with { RepositoryRoot = Root }, explainers);
    }

    /// <summary>An explanation request for one FP64 feature-vector row of input <paramref name="input"/>.</summary>
    public static ExplanationRequest VectorRow(string model, string input, double[] x, DataType type = DataType.Fp64)
    {
        var data = new byte[x.Length * type.ElementSize()];
        for (var i = 0; i < x.Length; i++)
        {
            Evaluation.CellCodec.Write(type, data, i, x[i]);
        }

        var tensor = new InferenceTensor(input, type, [1, x.Length], data);
        return new ExplanationRequest(new InferenceRequest(model, null, null, [tensor], [], new Dictionary<string, ParameterValue>()));
    }

    public async ValueTask DisposeAsync()
    {
        if (Facade is not null)
        {
            await Facade.DisposeAsync();
        }

        _temp.Dispose();
    }
}

using System.Collections.Concurrent;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Testing.Fakes;

/// <summary>
/// A model backend for Core tests: "loads" any file whose text is a signature line, and runs a delegate.
/// File format: one line per tensor, e.g. <c>in x FP32 -1,4</c> / <c>out y FP32 -1,4</c>; <c>fail</c> makes the load fail.
/// Default behaviour of a run: each output echoes the input with the same index.
/// </summary>
public sealed class FakeBackend : IModelBackend
{
    public string Name => "onnxruntime";

    public string Platform => "onnxruntime_onnx";

    /// <summary>Every model this backend created, in load order.</summary>
    public ConcurrentQueue<FakeLoadedModel> Loaded { get; } = new();

    /// <summary>Replaces the run behaviour of models loaded after it is set.</summary>
    public Func<IReadOnlyList<InferenceTensor>, IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<InferenceTensor>>>? Run { get; set; }

    public Task<ILoadedModel> LoadAsync(ModelLoadContext context, CancellationToken cancellationToken)
    {
        if (!File.Exists(context.ModelFilePath))
        {
            throw new InferenceException(InferenceErrorKind.InvalidInput, $"version {context.Version} has no model file");
        }

        var lines = File.ReadAllLines(context.ModelFilePath).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Any(l => l.Trim() == "fail"))
        {
            throw new InferenceException(InferenceErrorKind.InvalidInput, "ONNX Runtime could not load the model: fake failure");
        }

        var inputs = new List<TensorSignature>();
        var outputs = new List<TensorSignature>();
        foreach (var line in lines)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            _ = DataTypes.TryParseWireName(parts[2], out var type);
            var shape = parts.Length > 3 && parts[3].Length > 0 ? parts[3].Split(',').Select(long.Parse).ToArray() : [];
            (parts[0] == "in" ? inputs : outputs).Add(new TensorSignature(parts[1], type, shape));
        }

        var model = new FakeLoadedModel(context.ModelName, context.Version, new ModelSignature(inputs, outputs), Run)
        {
            InstanceCount = Math.Max(1, context.Config.InstanceGroups.Sum(g => g.Count)),
        };
        Loaded.Enqueue(model);
        return Task.FromResult<ILoadedModel>(model);
    }

    /// <summary>Writes a fake model file for <see cref="FakeBackend"/>.</summary>
    public static void WriteModel(string repository, string model, long version, params string[] lines)
    {
        var dir = Path.Combine(repository, model, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllLines(Path.Combine(dir, "model.onnx"), lines);
    }
}

/// <summary>A fake loaded model that records disposal.</summary>
public sealed class FakeLoadedModel(
    string modelName,
    string version,
    ModelSignature signature,
    Func<IReadOnlyList<InferenceTensor>, IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<InferenceTensor>>>? run) : ILoadedModel
{
    public string ModelName { get; } = modelName;

    public string Version { get; } = version;

    public ModelSignature Signature { get; } = signature;

    public string Description => "fake";

    public bool IsDisposed { get; private set; }

    public int InstanceCount { get; init; } = 1;

    public async ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(int instance, IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputNames, RunTimings timings, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (run is not null)
        {
            return await run(inputs, outputNames, cancellationToken).ConfigureAwait(false);
        }

        return outputNames.Select((name, i) =>
        {
            var index = Signature.Outputs.ToList().FindIndex(o => o.Name == name);
            var source = inputs[Math.Min(index, inputs.Count - 1)];
            // A copy: the caller owns returned buffers, and a merged batch input is a pooled buffer.
            return source with { Name = name, Data = source.Data.ToArray() };
        }).ToArray();
    }

    public void Dispose() => IsDisposed = true;
}

using System.Text.Json;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Processing.Pipelines;
using Inferd.Testing;

namespace Inferd.Processing.Tests.Steps;

/// <summary>
/// Loads one step the way a pipeline does (a real <see cref="StepLoadContext"/> over a temp model directory and the
/// real ONNX Runtime backend) and runs it on tensors.
/// </summary>
internal sealed class StepHarness : IDisposable
{
    private readonly TempDirectory _directory = new();

    public StepHarness()
    {
        ModelDirectory = Directory.CreateDirectory(Path.Combine(_directory.Path, "m")).FullName;
        VersionDirectory = Directory.CreateDirectory(Path.Combine(ModelDirectory, "1")).FullName;
    }

    /// <summary>The model directory (files shared by versions, e.g. a vocabulary).</summary>
    public string ModelDirectory { get; }

    /// <summary>The version directory.</summary>
    public string VersionDirectory { get; }

    /// <summary>Writes a file into the model directory.</summary>
    public void WriteFile(string name, string content) => File.WriteAllText(Path.Combine(ModelDirectory, name), content);

    /// <summary>Loads a step of <paramref name="kind"/>; every port reads the value of the same name.</summary>
    public Task<IPipelineStep> LoadAsync(string kind, string options, params TensorSignature[] values) =>
        LoadWiredAsync(kind, options, new Dictionary<string, string>(), values);

    /// <summary>Loads a step of <paramref name="kind"/> whose ports read the values <paramref name="wiring"/> names.</summary>
    public async Task<IPipelineStep> LoadWiredAsync(string kind, string options, Dictionary<string, string> wiring, params TensorSignature[] values)
    {
        using var document = JsonDocument.Parse(options);
        var definition = new StepDefinition("s", kind, wiring, new Dictionary<string, string>(), document.RootElement.Clone());
        var context = new StepLoadContext(
            definition,
            values.ToDictionary(v => v.Name, StringComparer.Ordinal),
            new ModelLoadContext("m", "1", VersionDirectory, new ModelConfig { Name = "m" }),
            new OnnxRuntimeBackend(),
            () => null);
        var factory = StepKinds.Find(kind) ?? throw new InvalidOperationException($"no kind {kind}");
        return await factory(context, TestContext.Current.CancellationToken).AsTask().DefaultTimeout();
    }

    /// <summary>Runs a loaded step.</summary>
    public static async Task<IReadOnlyList<InferenceTensor>> RunAsync(IPipelineStep step, params InferenceTensor[] inputs) =>
        await step.RunAsync(inputs, new StepCallContext(0, new RunTimings()), TestContext.Current.CancellationToken).AsTask().DefaultTimeout();

    /// <summary>Loads and runs in one go.</summary>
    public async Task<IReadOnlyList<InferenceTensor>> LoadAndRunAsync(string kind, string options, params InferenceTensor[] inputs)
    {
        using var step = await LoadAsync(kind, options, inputs.Select(Signature).ToArray());
        return await RunAsync(step, inputs);
    }

    /// <summary>A signature.</summary>
    public static TensorSignature Sig(string name, DataType type, long[] shape) => new(name, type, shape);

    /// <summary>A signature with the batch dimension open.</summary>
    public static TensorSignature Signature(InferenceTensor tensor) => new(tensor.Name, tensor.DataType, [-1, .. tensor.Shape[1..]]);

    /// <summary>An FP32 tensor.</summary>
    public static InferenceTensor Floats(string name, long[] shape, params float[] values) =>
        new(name, DataType.Fp32, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>An INT64 tensor.</summary>
    public static InferenceTensor Int64s(string name, long[] shape, params long[] values) =>
        new(name, DataType.Int64, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>A BYTES tensor of raw elements.</summary>
    public static InferenceTensor Bytes(string name, params byte[][] elements) =>
        new(name, DataType.Bytes, [elements.Length], BytesTensor.Encode(elements.Select(e => (ReadOnlyMemory<byte>)e).ToArray()));

    /// <summary>The strings of a BYTES tensor.</summary>
    public static string[] Strings(InferenceTensor tensor) =>
        BytesTensor.Split(tensor.Data).Select(e => System.Text.Encoding.UTF8.GetString(e.Span)).ToArray();

    public void Dispose() => _directory.Dispose();
}

using System.Buffers.Binary;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Testing;
using Inferd.Testing.Models;

namespace Inferd.Backends.OnnxRuntime.Tests;

/// <summary>The backend against real ONNX Runtime sessions over models built in code.</summary>
public sealed class OnnxRuntimeBackendTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private async Task<ILoadedModel> LoadAsync(byte[] model, ModelConfig? config = null)
    {
        var path = Path.Combine(_dir.Path, Guid.NewGuid().ToString("N") + ".onnx");
        await File.WriteAllBytesAsync(path, model);
        return await new OnnxRuntimeBackend().LoadAsync(new ModelLoadContext("m", "1", path, config ?? new ModelConfig { Name = "m" }), CancellationToken.None).DefaultTimeout();
    }

    public static TheoryData<DataType> Types() => new(DataTypes.All);

    [Theory]
    [MemberData(nameof(Types))]
    public async Task RunAsync_IdentityOfEveryDatatype_ReturnsTheInputBytes(DataType type)
    {
        using var model = await LoadAsync(TestModels.Identity(type, [-1, 3]));
        var data = type == DataType.Bytes ? BytesTensor.EncodeStrings(["a", "", "héllo", "x\0y", "5", "6"]) : Enumerable.Range(1, 6 * type.ElementSize()).Select(i => (byte)(type == DataType.Bool ? i % 2 : i)).ToArray();
        var input = new InferenceTensor(TestModels.Input0, type, [2, 3], data);

        var outputs = await model.RunAsync(0, [input], [TestModels.Output0], new RunTimings(), CancellationToken.None);

        Assert.Equal(type, outputs[0].DataType);
        Assert.Equal([2L, 3], outputs[0].Shape);
        Assert.Equal(data, outputs[0].Data.ToArray());
    }

    [Fact]
    public async Task LoadAsync_Signature_ReadsNamesTypesAndSymbolicDims()
    {
        using var model = await LoadAsync(TestModels.AddSub(DataType.Int32, [-1, 16]));

        Assert.Equal(["INPUT0", "INPUT1"], model.Signature.Inputs.Select(i => i.Name));
        Assert.Equal(DataType.Int32, model.Signature.Outputs[1].DataType);
        Assert.Equal([-1L, 16], model.Signature.Inputs[0].Shape);
        Assert.Contains("provider=CPU", model.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MisalignedInputBuffer_StillComputesCorrectly()
    {
        using var model = await LoadAsync(TestModels.AddSub(DataType.Fp32, [-1, 4]));
        var backing = new byte[1 + 16];
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(backing.AsSpan(1 + i * 4), i + 0.5f);
        }

        var misaligned = new ReadOnlyMemory<byte>(backing, 1, 16);
        var outputs = await model.RunAsync(0,
            [new InferenceTensor("INPUT0", DataType.Fp32, [1, 4], misaligned), new InferenceTensor("INPUT1", DataType.Fp32, [1, 4], misaligned)],
            ["OUTPUT0"], new RunTimings(), CancellationToken.None);

        var sums = Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(outputs[0].Data.Span[(i * 4)..])).ToArray();
        Assert.Equal([1f, 3f, 5f, 7f], sums);
    }

    [Fact]
    public async Task RunAsync_TokenCancelledDuringRun_TerminatesWithOperationCanceled()
    {
        using var model = await LoadAsync(TestModels.Slow());
        var data = new byte[256 * 256 * 4];
        var iterations = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(iterations, 1_000_000);
        using var cts = new CancellationTokenSource();
        var timings = new RunTimings();

        var run = Task.Run(async () => await model.RunAsync(0,
            [new InferenceTensor(TestModels.Input0, DataType.Fp32, [256, 256], data), new InferenceTensor(TestModels.SlowIterations, DataType.Int64, [1], iterations)],
            [model.Signature.Outputs[0].Name], timings, cts.Token));
        await cts.CancelAsync();

        // A million iterations would take about ten minutes; only Terminate lets this finish within the bound.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run).DefaultTimeout();
    }

    [Fact]
    public async Task LoadAsync_GarbageFile_ClearErrorWithoutPaths()
    {
        var error = await Assert.ThrowsAsync<InferenceException>(() => LoadAsync([1, 2, 3, 4, 5]));

        Assert.Contains("could not load", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_dir.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_InstanceGroupOfTwo_SharesTheCoresAndReportsTheLayout()
    {
        var config = new ModelConfig { Name = "m", InstanceGroups = [new InstanceGroup("g", 2, InstanceKind.Cpu, [])] };

        using var model = await LoadAsync(TestModels.Identity(DataType.Fp32, [-1]), config);

        Assert.Contains("instances=2", model.Description, StringComparison.Ordinal);
        Assert.Contains($"intra_op_threads={Math.Max(1, Environment.ProcessorCount / 2)}", model.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_GpuRequestedWithoutCuda_FallsBackToCpu()
    {
        var config = new ModelConfig { Name = "m", InstanceGroups = [new InstanceGroup("g", 1, InstanceKind.Gpu, [0])] };

        using var model = await LoadAsync(TestModels.Identity(DataType.Fp32, [-1]), config);

        Assert.Contains("provider=CPU", model.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_ThenRun_ThrowsObjectDisposed()
    {
        var model = await LoadAsync(TestModels.Identity(DataType.Fp32, [-1]));
        model.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await model.RunAsync(0, [], [], new RunTimings(), CancellationToken.None));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task LoadAsync_AutoLayout_PicksAMeasuredLayoutWithinTheCoresAndRuns()
    {
        var config = new ModelConfig { Name = "m", Parameters = new Dictionary<string, string> { ["instance_layout"] = "auto" } };
        using var model = await LoadAsync(TestModels.Identity(DataType.Fp32, [-1, 4]), config);

        Assert.Contains("layout=auto", model.Description, StringComparison.Ordinal);
        Assert.Contains("runs/s", model.Description, StringComparison.Ordinal);
        Assert.InRange(model.InstanceCount, 1, Environment.ProcessorCount);
        for (var i = 0; i < model.InstanceCount; i++)
        {
            var input = new InferenceTensor(TestModels.Input0, DataType.Fp32, [1, 4], new byte[16]);
            var outputs = await model.RunAsync(i, [input], [TestModels.Output0], new RunTimings(), CancellationToken.None);
            Assert.Equal([1L, 4L], outputs[0].Shape);
        }
    }

    [Fact]
    public void Candidates_FourCores_SplitEveryCoreWithoutOversubscribing()
    {
        var candidates = LayoutProbe.Candidates(4);

        Assert.Equal([(1, 4), (2, 2), (4, 1)], candidates);
        Assert.All(candidates, c => Assert.Equal(4, c.Instances * c.Threads));
    }
}

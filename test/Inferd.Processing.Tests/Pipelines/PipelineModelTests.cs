using System.Runtime.InteropServices;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Testing;
using Inferd.Testing.Models;

namespace Inferd.Processing.Tests.Pipelines;

public sealed class PipelineModelTests
{
    private const string TwoMlps = """
        {"max_batch_size": 8,
         "pipeline": {
           "inputs": [{"name": "features", "data_type": "TYPE_FP32", "dims": [4]}],
           "steps": [
             {"name": "first", "kind": "onnx", "inputs": {"X": "features"}, "outputs": {"Y": "hidden"}, "options": {"file": "a.onnx"}},
             {"name": "second", "kind": "onnx", "inputs": {"X": "hidden"}, "outputs": {"Y": "scores"}, "options": {"file": "b.onnx"}}
           ],
           "outputs": [{"name": "result", "from": "scores"}]}}
        """;

    private static readonly byte[] First = TestModels.Mlp(4, 8, 6, seed: 1);
    private static readonly byte[] Second = TestModels.Mlp(6, 8, 3, seed: 2);

    [Fact]
    public async Task RunAsync_ChainOfTwoOnnxFiles_EqualsRunningTheFilesInTurn()
    {
        await using var repo = new PipelineRepository().Model("chain", TwoMlps, ("a.onnx", First), ("b.onnx", Second));
        using var pipeline = await repo.LoadPipelineAsync("chain");
        float[] x = [0.5f, -1.25f, 2f, 0.75f, 1f, 0f, -0.5f, 3f];
        var input = new InferenceTensor("features", DataType.Fp32, [2, 4], MemoryMarshal.AsBytes(x.AsSpan()).ToArray());

        var outputs = await pipeline.RunAsync(0, [input], ["result"], new RunTimings(), CancellationToken.None).AsTask().DefaultTimeout();

        var expected = await RunRawAsync(Second, await RunRawAsync(First, input with { Name = "X" }));
        Assert.Equal("result", outputs[0].Name);
        Assert.Equal([2, 3], outputs[0].Shape);
        Assert.Equal(expected.Data.ToArray(), outputs[0].Data.ToArray());
        Assert.Equal("inferd_pipeline", pipeline.Platform);
        Assert.False(pipeline.HasParallelBranches);
        Assert.Equal([-1, 4], pipeline.Signature.Inputs[0].Shape);
        Assert.Equal([-1, 3], pipeline.Signature.Outputs[0].Shape);
        Assert.All(pipeline.Steps, s => Assert.Equal(1, s.Count));
    }

    [Fact]
    public async Task LoadAsync_TwoStepsReadingTheSameInput_ReportsParallelBranches()
    {
        const string Fork = """
            {"max_batch_size": 8,
             "pipeline": {
               "inputs": [{"name": "X", "data_type": "TYPE_FP32", "dims": [4]}],
               "steps": [
                 {"name": "left", "kind": "onnx", "outputs": {"Y": "left"}, "options": {"file": "a.onnx"}},
                 {"name": "right", "kind": "onnx", "outputs": {"Y": "right"}, "options": {"file": "c.onnx"}}
               ],
               "outputs": ["left", "right"]}}
            """;
        await using var repo = new PipelineRepository().Model("fork", Fork, ("a.onnx", First), ("c.onnx", TestModels.Mlp(4, 8, 2, seed: 9)));
        using var pipeline = await repo.LoadPipelineAsync("fork");
        float[] x = [1f, 2f, 3f, 4f];
        var input = new InferenceTensor("X", DataType.Fp32, [1, 4], MemoryMarshal.AsBytes(x.AsSpan()).ToArray());

        var outputs = await pipeline.RunAsync(0, [input], ["right", "left"], new RunTimings(), CancellationToken.None).AsTask().DefaultTimeout();

        Assert.True(pipeline.HasParallelBranches);
        Assert.Equal([1, 2], outputs[0].Shape);
        Assert.Equal([1, 6], outputs[1].Shape);
    }

    [Theory]
    [InlineData("""{"name": "s", "kind": "no_such_kind"}""", "unknown kind 'no_such_kind'")]
    [InlineData("""{"name": "s", "kind": "onnx", "inputs": {"X": "nowhere"}, "options": {"file": "a.onnx"}}""", "wired to 'nowhere'")]
    [InlineData("""{"name": "s", "kind": "onnx", "outputs": {"Y": "X"}, "options": {"file": "a.onnx"}}""", "already produces")]
    [InlineData("""{"name": "s", "kind": "onnx", "options": {"file": "missing.onnx"}}""", "file 'missing.onnx' is in neither")]
    [InlineData("""{"name": "s", "kind": "onnx", "options": {"file": "../escape.onnx"}}""", "relative file name")]
    [InlineData("""{"name": "s", "kind": "onnx", "options": {"file": "a.onnx", "colour": 1}}""", "unknown option 'colour'")]
    [InlineData("""{"name": "s", "kind": "onnx", "inputs": {"Q": "X"}, "options": {"file": "a.onnx"}}""", "no input port 'Q'")]
    public async Task LoadAsync_BadStep_FailsNamingTheProblem(string step, string expected)
    {
        var config = """{"max_batch_size": 8, "pipeline": {"inputs": [{"name": "X", "data_type": "TYPE_FP32", "dims": [4]}], "steps": ["""
            + step + """], "outputs": ["X"]}}""";
        await using var repo = new PipelineRepository().Model("bad", config, ("a.onnx", First));

        var error = await Assert.ThrowsAsync<ModelConfigException>(() => repo.LoadPipelineAsync("bad"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_WrongInputType_FailsBeforeRunning()
    {
        const string Config = """
            {"max_batch_size": 8, "pipeline": {"inputs": [{"name": "X", "data_type": "TYPE_INT64", "dims": [4]}],
             "steps": [{"kind": "onnx", "options": {"file": "a.onnx"}}], "outputs": ["Y"]}}
            """;
        await using var repo = new PipelineRepository().Model("typed", Config, ("a.onnx", First));

        var error = await Assert.ThrowsAsync<ModelConfigException>(() => repo.LoadPipelineAsync("typed"));

        Assert.Contains("ONNX input 'X' is FP32 but 'X' is INT64", error.Message, StringComparison.Ordinal);
    }

    private static async Task<InferenceTensor> RunRawAsync(byte[] model, InferenceTensor input)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "m.onnx");
        await File.WriteAllBytesAsync(path, model);
        using var loaded = await new OnnxRuntimeBackend().LoadAsync(new ModelLoadContext("m", "1", path, new Abstractions.Configuration.ModelConfig { Name = "m" }), CancellationToken.None).DefaultTimeout();
        var outputs = await loaded.RunAsync(0, [input with { Name = "X" }], ["Y"], new RunTimings(), CancellationToken.None).AsTask().DefaultTimeout();
        return outputs[0];
    }
}

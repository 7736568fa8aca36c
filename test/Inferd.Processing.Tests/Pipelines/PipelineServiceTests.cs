using System.Runtime.InteropServices;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Testing;
using Inferd.Testing.Models;

namespace Inferd.Processing.Tests.Pipelines;

/// <summary>Pipelines served through the real facade, calling other models of the repository.</summary>
public sealed class PipelineServiceTests
{
    // The batcher holds a lone request for up to 20 s waiting for a second one; two requests form a batch at once.
    // So the branches' two calls land in ONE execution only when they were in flight at the same time.
    private const string BatchingMlp = """
        {"max_batch_size": 2, "dynamic_batching": {"preferred_batch_size": [2], "max_queue_delay_microseconds": 20000000}}
        """;

    private const string Fork = """
        {"max_batch_size": 4,
         "pipeline": {
           "inputs": [{"name": "a", "data_type": "TYPE_FP32", "dims": [4]}, {"name": "b", "data_type": "TYPE_FP32", "dims": [4]}],
           "steps": [
             {"name": "left", "kind": "model", "inputs": {"X": "a"}, "outputs": {"Y": "ya"}, "options": {"model": "mlp"}},
             {"name": "right", "kind": "model", "inputs": {"X": "b"}, "outputs": {"Y": "yb"}, "options": {"model": "mlp"}}
           ],
           "outputs": ["ya", "yb"]}}
        """;

    private static readonly Dictionary<string, ParameterValue> NoParameters = [];

    [Fact]
    public async Task InferAsync_TwoBranchesCallingABatchingModel_RunAsOneBatchOfTwo()
    {
        await using var repo = new PipelineRepository()
            .Model("mlp", BatchingMlp, ("model.onnx", TestModels.Mlp(4, 8, 3, seed: 3)))
            .Model("fork", Fork);
        var service = await repo.StartAsync();

        var response = await service.InferAsync(Request("fork", ("a", [1f, 2f, 3f, 4f]), ("b", [-1f, 0.5f, 0f, 2f])), CancellationToken.None).DefaultTimeout();

        var mlp = Assert.Single(service.GetStatistics("mlp", null));
        Assert.Equal(2UL, mlp.InferenceCount);
        Assert.Equal(1UL, mlp.ExecutionCount);
        Assert.Equal(2UL, Assert.Single(mlp.BatchStats).BatchSize);
        Assert.Equal(["ya", "yb"], response.Outputs.Select(o => o.Name));
        var steps = Assert.Single(service.GetStatistics("fork", null)).PipelineSteps;
        Assert.Equal(["left", "right"], steps.Select(s => s.Name));
        Assert.All(steps, s => Assert.Equal((1UL, "model"), (s.Count, s.Kind)));
        var alone = await service.InferAsync(Request("mlp", ("X", [1f, 2f, 3f, 4f]), ("X", [-1f, 0.5f, 0f, 2f])), CancellationToken.None).DefaultTimeout();
        var both = MemoryMarshal.Cast<byte, float>(alone.Outputs[0].Data.Span).ToArray();
        Assert.Equal(both[..3], MemoryMarshal.Cast<byte, float>(response.Outputs[0].Data.Span).ToArray());
        Assert.Equal(both[3..], MemoryMarshal.Cast<byte, float>(response.Outputs[1].Data.Span).ToArray());
    }

    [Fact]
    public async Task GetModelMetadata_Pipeline_IsAModelWithItsOwnInputsAndPlatform()
    {
        await using var repo = new PipelineRepository()
            .Model("mlp", """{"max_batch_size": 8}""", ("model.onnx", TestModels.Mlp(4, 8, 3, seed: 3)))
            .Model("fork", Fork);
        var service = await repo.StartAsync();

        var metadata = service.GetModelMetadata("fork", null);
        var config = service.GetModelConfig("fork", null);
        var index = service.GetRepositoryIndex(readyOnly: false);

        Assert.Equal("inferd_pipeline", metadata.Platform);
        Assert.Equal(["a", "b"], metadata.Inputs.Select(i => i.Name));
        Assert.Equal([-1, 4], metadata.Inputs[0].Shape);
        Assert.Equal([-1, 3], metadata.Outputs[0].Shape);
        Assert.Equal(4, config.MaxBatchSize);
        Assert.NotNull(config.Pipeline);
        Assert.All(index, e => Assert.Equal(ModelState.Ready, e.State));
    }

    [Fact]
    public async Task UnloadThenLoad_Pipeline_ServesAgain()
    {
        await using var repo = new PipelineRepository()
            .Model("mlp", """{"max_batch_size": 8}""", ("model.onnx", TestModels.Mlp(4, 8, 3, seed: 3)))
            .Model("fork", Fork);
        var service = await repo.StartAsync(Core.Repository.ModelControlMode.Explicit);

        await service.UnloadModelAsync("fork", NoParameters, CancellationToken.None).DefaultTimeout();
        var readyAfterUnload = service.IsModelReady("fork", null);
        await service.LoadModelAsync("fork", NoParameters, CancellationToken.None).DefaultTimeout();
        var response = await service.InferAsync(Request("fork", ("a", [1f, 2f, 3f, 4f]), ("b", [1f, 2f, 3f, 4f])), CancellationToken.None).DefaultTimeout();

        Assert.False(readyAfterUnload);
        Assert.Equal(response.Outputs[0].Data.ToArray(), response.Outputs[1].Data.ToArray());
    }

    [Fact]
    public async Task StartAsync_PipelineCallingAMissingModel_IsUnavailableWithTheReason()
    {
        await using var repo = new PipelineRepository().Model("fork", Fork);
        var service = await repo.StartAsync();

        var entry = Assert.Single(service.GetRepositoryIndex(readyOnly: false));

        Assert.Equal(ModelState.Unavailable, entry.State);
        Assert.Contains("model 'mlp' cannot be used", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InferAsync_BranchModelRefusesTheInput_AnswersInvalidInput()
    {
        await using var repo = new PipelineRepository()
            .Model("mlp", """{"max_batch_size": 1}""", ("model.onnx", TestModels.Mlp(4, 8, 3, seed: 3)))
            .Model("fork", Fork);
        var service = await repo.StartAsync();
        var two = new float[8];

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.InferAsync(
            new InferenceRequest("fork", null, null, [Tensor("a", two, 2), Tensor("b", two, 2)], [], NoParameters), CancellationToken.None).DefaultTimeout());

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.True(service.IsModelReady("fork", null));
    }

    private static InferenceRequest Request(string model, params (string Name, float[] Values)[] inputs) =>
        new(model, null, null, inputs.GroupBy(i => i.Name).Select(g => Tensor(g.Key, g.SelectMany(v => v.Values).ToArray(), g.Count())).ToArray(), [], NoParameters);

    private static InferenceTensor Tensor(string name, float[] values, int rows) =>
        new(name, DataType.Fp32, [rows, values.Length / rows], MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
}

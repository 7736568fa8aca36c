using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;
using Inferd.Testing;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.Processing.Tests.Steps;

/// <summary>
/// A whole pipeline loaded from a model directory through <see cref="PipelineBackend"/> over real ONNX Runtime:
/// image → onnx (mean colour per channel) → softmax → topk with a labels file.
/// </summary>
public sealed class PipelineStepsTests : IDisposable
{
    private const string Config = """
        {
          "name": "colours",
          "backend": "onnxruntime",
          "max_batch_size": 8,
          "pipeline": {
            "inputs": [{"name": "image", "data_type": "TYPE_STRING", "dims": []}],
            "steps": [
              {"name": "pre", "kind": "image", "options": {"width": 4, "height": 4}},
              {"name": "mean", "kind": "onnx", "inputs": {"pixels": "tensor"}},
              {"name": "probs", "kind": "softmax", "inputs": {"logits": "colour"}},
              {"name": "top", "kind": "topk", "options": {"labels": "labels.txt"}}
            ],
            "outputs": ["label", "score", {"name": "probs", "from": "probabilities"}]
          }
        }
        """;

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Run_RedAndBlueImages_LabelsEachByItsColour()
    {
        // Arrange
        using var model = await LoadAsync();
        var images = StepHarness.Bytes("image", TestImages.Png(3, 5, (255, 0, 0)), TestImages.Png(6, 2, (0, 0, 255)));

        // Act
        var outputs = await model.RunAsync(0, [images], ["label", "score", "probs"], new RunTimings(), TestContext.Current.CancellationToken).AsTask().DefaultTimeout();

        // Assert: mean colour (1,0,0) → softmax e/(e+2) for red.
        Assert.Equal(["red", "blue"], StepHarness.Strings(outputs[0]));
        var expected = (float)(Math.E / (Math.E + 2));
        Assert.Equal([expected, expected], TensorData.Floats(outputs[1]).ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal([2L, 3L], outputs[2].Shape);
        Assert.Equal(["image"], model.Signature.Inputs.Select(i => i.Name));
        Assert.Equal(DataType.Bytes, model.Signature.Outputs[0].DataType);
    }

    [Fact]
    public async Task Run_UndecodableImage_IsInvalidInputNamingField()
    {
        using var model = await LoadAsync();
        var images = StepHarness.Bytes("image", TestImages.Png(3, 5, (255, 0, 0)), [1, 2, 3]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => model.RunAsync(0, [images], ["label"], new RunTimings(), TestContext.Current.CancellationToken).AsTask().DefaultTimeout());

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("field 'image' row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_TopKWithoutLabelsFile_FailsNamingStep()
    {
        File.Delete(Path.Combine(WriteModel(), "labels.txt"));

        var error = await Assert.ThrowsAsync<ModelConfigException>(() => LoadAsync(write: false));

        Assert.Contains("pipeline step 'top'", error.Message, StringComparison.Ordinal);
    }

    private string WriteModel()
    {
        var modelDirectory = Directory.CreateDirectory(Path.Combine(_directory.Path, "colours")).FullName;
        var version = Directory.CreateDirectory(Path.Combine(modelDirectory, "1")).FullName;
        File.WriteAllText(Path.Combine(modelDirectory, "config.json"), Config);
        File.WriteAllText(Path.Combine(modelDirectory, "labels.txt"), "red\ngreen\nblue\n");
        File.WriteAllBytes(Path.Combine(version, "model.onnx"), Serialize(Graph(
            "mean_colour",
            [Node("ReduceMean", ["pixels"], ["colour"], IntsAttribute("axes", 2, 3), IntAttribute("keepdims", 0))],
            [Value("pixels", DataType.Fp32, [-1, 3, 4, 4])],
            [Value("colour", DataType.Fp32, [-1, 3])])));
        return modelDirectory;
    }

    private async Task<ILoadedModel> LoadAsync(bool write = true)
    {
        var modelDirectory = write ? WriteModel() : Path.Combine(_directory.Path, "colours");
        var config = ModelConfigJson.Read(await File.ReadAllTextAsync(Path.Combine(modelDirectory, "config.json"), TestContext.Current.CancellationToken), "colours").Config;
        var backend = new PipelineBackend(new OnnxRuntimeBackend());
        return await backend.LoadAsync(new ModelLoadContext("colours", "1", Path.Combine(modelDirectory, "1"), config), TestContext.Current.CancellationToken).DefaultTimeout();
    }

    public void Dispose() => _directory.Dispose();
}

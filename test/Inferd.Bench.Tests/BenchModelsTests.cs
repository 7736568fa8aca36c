using Inferd.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Inferd.Bench.Tests;

/// <summary>The generated benchmark models load and run in ONNX Runtime; configs carry the intended settings.</summary>
public sealed class BenchModelsTests
{
    [Theory]
    [InlineData("noop", 4)]
    [InlineData("mlp", 3)]
    [InlineData("cnn", 1)]
    [InlineData("tfm", 1)]
    public void Build_RunInOnnxRuntime_OutputHasItemShapeAndIsFinite(string id, int batch)
    {
        var model = BenchModels.Find(id);
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model.Build(), options);
        var input = new float[batch * model.InputItemElements];
        var random = new Inferd.Testing.Models.DeterministicRandom(5);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = random.NextSymmetric(1f);
        }

        int[] inputShape = [batch, .. model.ItemInputShape.Select(d => (int)d)];
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(BenchModel.Input, new DenseTensor<float>(input, inputShape))]);

        var output = Assert.Single(results);
        Assert.Equal(BenchModel.Output, output.Name);
        var tensor = output.AsTensor<float>();
        Assert.Equal([batch, .. model.ItemOutputShape.Select(d => (int)d)], tensor.Dimensions.ToArray());
        Assert.All(tensor, v => Assert.True(float.IsFinite(v)));
        if (id != "noop")
        {
            // Random weights, not a constant: some spread across the outputs.
            Assert.True(tensor.Max() - tensor.Min() > 1e-3f);
        }
    }

    [Fact]
    public void Build_Twice_SameBytes()
    {
        var model = BenchModels.Find("mlp");

        Assert.Equal(model.Build(), model.Build());
    }

    [Fact]
    public void Config_BatchedVariant_AddsDynamicBatchingWithZeroDelayOnly()
    {
        var model = BenchModels.Find("tfm");

        var plain = BenchModels.Config(model, "tfm", batched: false, instances: 1, intraOpThreads: 2);
        var batched = BenchModels.Config(model, "tfm-batched", batched: true, instances: 1, intraOpThreads: 2);

        Assert.DoesNotContain("dynamic_batching", plain, StringComparison.Ordinal);
        Assert.Contains("max_batch_size: 16\n", plain, StringComparison.Ordinal);
        Assert.Contains("dims: [ 128, 256 ]", plain, StringComparison.Ordinal);
        Assert.Contains("string_value: \"2\"", plain, StringComparison.Ordinal);
        Assert.Equal(
            plain.Replace("name: \"tfm\"", "name: \"tfm-batched\"", StringComparison.Ordinal) + "dynamic_batching {\n  max_queue_delay_microseconds: 0\n}\n",
            batched);
    }

    [Fact]
    public void Find_UnknownId_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => BenchModels.Find("resnet"));
    }

    [Fact]
    public void WriteRepository_Only_WritesThoseModelsAndTheirBatchedVariants()
    {
        using var dir = new TempDirectory();

        BenchModels.WriteRepository(dir.Path, ["noop"]);

        Assert.Equal(["noop", "noop-batched"], Directory.GetDirectories(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(dir.Path, "noop-batched", "1", "model.onnx")));
        Assert.StartsWith("name: \"noop-batched\"\n", File.ReadAllText(Path.Combine(dir.Path, "noop-batched", "config.pbtxt")), StringComparison.Ordinal);
    }
}

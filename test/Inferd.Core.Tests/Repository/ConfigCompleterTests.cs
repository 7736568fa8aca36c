using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Testing.Fakes;

namespace Inferd.Core.Tests.Repository;

public sealed class ConfigCompleterTests
{
    private static readonly ModelSignature Batchable = new(
        [new TensorSignature("x", DataType.Fp32, [-1, 256, 25])],
        [new TensorSignature("y", DataType.Fp32, [-1, 3])]);

    private static ParsedModelConfig Bare(string name = "m") => new(new ModelConfig { Name = name }, false);

    [Fact]
    public void Complete_BareBatchableModel_DefaultsToTritonMaxBatchAndDropsBatchDim()
    {
        var config = ConfigCompleter.Complete(Bare(), Batchable, new FakeBackend());

        Assert.Equal(ConfigCompleter.DefaultMaxBatchSize, config.MaxBatchSize);
        Assert.Equal([256L, 25], config.Inputs[0].Dims);
        Assert.Equal("onnxruntime_onnx", config.Platform);
        Assert.Single(config.InstanceGroups);
    }

    [Fact]
    public void Complete_FixedFirstDim_DoesNotBatch()
    {
        var fixedShape = new ModelSignature([new TensorSignature("x", DataType.Int64, [3, 4])], [new TensorSignature("y", DataType.Int64, [3, 4])]);

        var config = ConfigCompleter.Complete(Bare(), fixedShape, new FakeBackend());

        Assert.Equal(0, config.MaxBatchSize);
        Assert.Equal([3L, 4], config.Inputs[0].Dims);
    }

    [Fact]
    public void Complete_DimsDisagreeWithFile_NamesBothShapes()
    {
        var user = new ParsedModelConfig(new ModelConfig { Name = "m", MaxBatchSize = 8, Inputs = [new TensorConfig("x", DataType.Fp32, [-1, -1, 25])] }, true);

        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(user, Batchable, new FakeBackend()));

        Assert.Contains("[-1,-1,25]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[256,25]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_MaxBatchOnFixedShape_ExplainsWhy()
    {
        var fixedShape = new ModelSignature([new TensorSignature("x", DataType.Fp32, [3])], [new TensorSignature("y", DataType.Fp32, [3])]);
        var user = new ParsedModelConfig(new ModelConfig { Name = "m", MaxBatchSize = 4 }, true);

        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(user, fixedShape, new FakeBackend()));

        Assert.Contains("variable first dimension", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tensorflow", "")]
    [InlineData("", "tensorrt_plan")]
    public void Complete_OtherBackendOrPlatform_IsUnsupported(string backend, string platform)
    {
        var user = new ParsedModelConfig(new ModelConfig { Name = "m", Backend = backend, Platform = platform }, false);

        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(user, Batchable, new FakeBackend()));

        Assert.Contains("unsupported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_UnknownInputName_ListsTheModelsInputs()
    {
        var user = new ParsedModelConfig(new ModelConfig { Name = "m", Inputs = [new TensorConfig("nope", DataType.Invalid, []) { DimsSpecified = false }] }, false);

        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(user, Batchable, new FakeBackend()));

        Assert.Contains("the model's inputs are: x", error.Message, StringComparison.Ordinal);
    }
}

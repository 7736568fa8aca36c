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

    private static ParsedModelConfig WithWarmup(params ModelWarmup[] samples) => new(new ModelConfig { Name = "m", ModelWarmup = samples }, false);

    private static ModelWarmup Sample(string input, DataType type, long[] dims, int batchSize = 1) =>
        new("w", batchSize, new Dictionary<string, WarmupInput> { [input] = new(type, dims, WarmupDataSource.Zero, null) }, 1);

    [Fact]
    public void Complete_WarmupMatchingTheModel_IsKept()
    {
        var sample = Sample("x", DataType.Fp32, [256, 25], batchSize: 4);

        var config = ConfigCompleter.Complete(WithWarmup(sample), Batchable, new FakeBackend());

        Assert.Same(sample, Assert.Single(config.ModelWarmup));
    }

    [Fact]
    public void Complete_WarmupUnknownInput_NamesSampleAndInput()
    {
        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(WithWarmup(Sample("nope", DataType.Fp32, [256, 25])), Batchable, new FakeBackend()));

        Assert.Contains("model_warmup[0] 'w' input 'nope' is not in the model; the model's inputs are: x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_WarmupDataTypeDiffers_NamesBothTypes()
    {
        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(WithWarmup(Sample("x", DataType.Int64, [256, 25])), Batchable, new FakeBackend()));

        Assert.Contains("model_warmup[0] 'w' input 'x': data_type TYPE_INT64 does not match the model's TYPE_FP32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_WarmupDimsDiffer_NamesBothShapes()
    {
        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(WithWarmup(Sample("x", DataType.Fp32, [255, 25])), Batchable, new FakeBackend()));

        Assert.Contains("model_warmup[0] 'w' input 'x': dims [255,25] do not match the model's [256,25]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_WarmupMissesAnInput_NamesTheInput()
    {
        var twoInputs = new ModelSignature(
            [new TensorSignature("x", DataType.Fp32, [-1, 2]), new TensorSignature("z", DataType.Int64, [-1, 1])],
            [new TensorSignature("y", DataType.Fp32, [-1, 3])]);

        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(WithWarmup(Sample("x", DataType.Fp32, [2])), twoInputs, new FakeBackend()));

        Assert.Contains("model_warmup[0] 'w' has no data for the model's input 'z'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_WarmupBatchOverCompletedMaxBatch_Throws()
    {
        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(WithWarmup(Sample("x", DataType.Fp32, [256, 25], batchSize: 5)), Batchable, new FakeBackend()));

        Assert.Contains("model_warmup[0] 'w'.batch_size 5 is larger than max_batch_size 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_WarmupBatchOnModelThatDoesNotBatch_Throws()
    {
        var fixedShape = new ModelSignature([new TensorSignature("x", DataType.Fp32, [3])], [new TensorSignature("y", DataType.Fp32, [3])]);

        var error = Assert.Throws<ModelConfigException>(() => ConfigCompleter.Complete(WithWarmup(Sample("x", DataType.Fp32, [3], batchSize: 2)), fixedShape, new FakeBackend()));

        Assert.Contains("batch_size 2 needs batching, but max_batch_size is 0", error.Message, StringComparison.Ordinal);
    }
}

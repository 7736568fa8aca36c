using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Conversion;
using Inferd.Batch.Jobs;
using Inferd.Batch.Scoring;

namespace Inferd.Batch.Tests.Conversion;

public sealed class InputMappingTests
{
    private static ScoringModel Model(params TensorSignature[] inputs) =>
        new("m", "1", inputs, [new TensorSignature("Y", DataType.Fp32, [-1, 1])], MaxBatchSize: 8, PreferredBatchSize: 8, Concurrency: 1);

    private static BatchJobSpec Spec(string? id = null, Dictionary<string, IReadOnlyList<string>>? map = null) =>
        new() { Model = "m", Inputs = ["x"], Output = "o", IdColumn = id, InputMap = map ?? [] };

    [Fact]
    public void Create_OneInput_TakesEveryColumnButTheId()
    {
        var plans = InputMapping.Create(Model(new TensorSignature("X", DataType.Fp32, [-1, 3])), ["id", "a", "b", "c"], Spec("id"), rowsAreFiles: false);

        Assert.Equal(["a", "b", "c"], Assert.Single(plans).ColumnNames);
    }

    [Fact]
    public void Create_ColumnNamedLikeInput_IgnoringCase()
    {
        var model = Model(new TensorSignature("Age", DataType.Int64, [-1, 1]), new TensorSignature("text", DataType.Bytes, [-1, 1]));

        var plans = InputMapping.Create(model, ["AGE", "text", "other"], Spec(), rowsAreFiles: false);

        Assert.Equal(["AGE"], plans[0].ColumnNames);
        Assert.Equal(["text"], plans[1].ColumnNames);
    }

    [Fact]
    public void Create_TwoInputsAndNoMatchingColumn_SaysHowToMap()
    {
        var model = Model(new TensorSignature("A", DataType.Fp32, [-1, 1]), new TensorSignature("B", DataType.Fp32, [-1, 1]));

        var e = Assert.Throws<BatchJobException>(() => InputMapping.Create(model, ["A", "x"], Spec(), rowsAreFiles: false));

        Assert.Contains("--input-map B=COLUMN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PictureShapedInput_HasImageLayout()
    {
        var plan = Assert.Single(InputMapping.Create(Model(new TensorSignature("x", DataType.Fp32, [-1, 3, 48, 192])), ["file", "content"], Spec(), rowsAreFiles: true));

        Assert.Equal(["content"], plan.ColumnNames);
        Assert.Equal(new ImageLayout(3, 48, 192, ChannelsFirst: true), plan.Image);
    }

    [Fact]
    public void Create_VariableDimensionPerRow_Refuses()
    {
        var e = Assert.Throws<BatchJobException>(() => InputMapping.Create(Model(new TensorSignature("X", DataType.Fp32, [-1, -1])), ["a"], Spec(), rowsAreFiles: false));

        Assert.Contains("variable dimension", e.Message, StringComparison.Ordinal);
    }
}

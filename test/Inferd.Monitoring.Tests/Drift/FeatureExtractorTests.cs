using Inferd.Abstractions.Tensors;
using Inferd.Monitoring.Drift;
using static Inferd.Monitoring.Tests.Drift.DriftTestData;

namespace Inferd.Monitoring.Tests.Drift;

public sealed class FeatureExtractorTests
{
    [Fact]
    public void Extract_BatchedScalarAndVectorTensors_NamesFeaturesAfterTensorAndElement()
    {
        // Arrange
        var inputs = new[] { Floats("x", [2, 3], [1, 2, 3, 4, 5, 6]), Floats("age", [2], [30, 40]) };

        // Act
        var features = FeatureExtractor.Extract(inputs, [Floats("score", [2, 1], [0.5f, 0.7f])], batched: true);

        // Assert
        Assert.Equal(2, features.Rows);
        Assert.Equal(["x[0]", "x[1]", "x[2]", "age"], features.Inputs.Select(c => c.Name));
        Assert.Equal([2.0, 5.0], features.Inputs[1].Numbers!);
        Assert.Equal("score", Assert.Single(features.Outputs).Name);
        Assert.Equal([0.5, 0.7], features.Outputs[0].Numbers!.Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void Extract_UnbatchedModel_TreatsTheWholeTensorAsOneRow()
    {
        var features = FeatureExtractor.Extract([Floats("x", [2, 2], [1, 2, 3, 4])], [], batched: false);

        Assert.Equal(1, features.Rows);
        Assert.Equal(["x[0]", "x[1]", "x[2]", "x[3]"], features.Inputs.Select(c => c.Name));
        Assert.Equal([4.0], features.Inputs[3].Numbers!);
    }

    [Fact]
    public void Extract_MoreThan64ElementsPerRow_SkipsTheTensor()
    {
        var features = FeatureExtractor.Extract([Floats("image", [1, 65], new float[65]), Floats("x", [1, 64], new float[64])], [], batched: true);

        Assert.Equal(64, features.Inputs.Count);
        Assert.All(features.Inputs, c => Assert.Equal("x", c.Tensor));
    }

    [Fact]
    public void Extract_BytesAndBool_AreCategorical()
    {
        var features = FeatureExtractor.Extract([Strings("color", ["red", "blue"]), Bools("member", [true, false])], [], batched: true);

        Assert.All(features.Inputs, c => Assert.Equal(FeatureKind.Categorical, c.Kind));
        Assert.Equal(["red", "blue"], features.Inputs[0].Categories!);
        Assert.Equal(["true", "false"], features.Inputs[1].Categories!);
    }

    [Fact]
    public void Extract_IntegerAndHalfTypes_ReadAsNumbers()
    {
        var ints = new InferenceTensor("n", DataType.Int64, [2], BitConverter.GetBytes(-3L).Concat(BitConverter.GetBytes(7L)).ToArray());
        var half = new InferenceTensor("h", DataType.Fp16, [1], BitConverter.GetBytes((Half)1.5));

        var features = FeatureExtractor.Extract([ints, half], [], batched: true);

        Assert.Equal([-3.0, 7.0], features.Inputs[0].Numbers!);
        Assert.Equal([1.5], features.Inputs[1].Numbers!);
    }

    [Fact]
    public void Extract_MalformedTensors_AreSkippedWithoutThrowing()
    {
        var truncatedBytes = new InferenceTensor("s", DataType.Bytes, [2], new byte[] { 9, 0, 0, 0, 1 });
        var shortData = new InferenceTensor("f", DataType.Fp32, [4], new byte[8]);
        var empty = new InferenceTensor("e", DataType.Fp32, [0], Array.Empty<byte>());

        var features = FeatureExtractor.Extract([truncatedBytes, shortData, empty], [], batched: true);

        Assert.Empty(features.Inputs);
        Assert.Equal(0, features.Rows);
    }

    [Fact]
    public void Extract_WantedTensors_ReadsOnlyThose()
    {
        var features = FeatureExtractor.Extract([Floats("a", [1], [1]), Floats("b", [1], [2])], [], batched: true, new HashSet<string> { "b" });

        Assert.Equal("b", Assert.Single(features.Inputs).Name);
    }
}

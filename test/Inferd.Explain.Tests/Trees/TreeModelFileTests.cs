using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Trees;
using Inferd.Testing;
using Onnx;
using static Inferd.Explain.Tests.Trees.TreeModels;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.Explain.Tests.Trees;

/// <summary>What Tree SHAP reads from a model file, and the reasons it gives for what it does not.</summary>
public sealed class TreeModelFileTests
{
    [Fact]
    public void Read_FiveFeatureRegressor_TracesInputAndScoreThroughIdentity()
    {
        using var temp = new TempDirectory();

        var file = TreeModelFile.Read(Write(temp, FiveFeatureRegressor()));

        Assert.Equal("TreeEnsembleRegressor", file.OpType);
        Assert.Equal([new TreeInputPart("x", 5, false)], file.Parts);
        Assert.Equal(["y"], file.ScoreOutputs);
        Assert.Equal(3, file.Ensemble.Roots.Count);
        Assert.Equal(5, file.Ensemble.Columns);
        Assert.Equal(3, file.Ensemble.MaxDepth);
    }

    [Fact]
    public void Read_OpsetFiveTreeEnsemble_InvalidNamingTheOp()
    {
        using var temp = new TempDirectory();
        var node = Node("TreeEnsemble", ["x"], ["y"]);
        node.Domain = "ai.onnx.ml";

        var error = Assert.Throws<InferenceException>(() => TreeModelFile.Read(Write(temp, Save(Graph("t", [node], [Value("x", DataType.Fp32, [-1, 2])], [Value("y", DataType.Fp32, [-1, 1])])))));

        Assert.Contains("opset-5 TreeEnsemble op", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BinaryClassifier_InvalidExplainingTheBinaryCase()
    {
        using var temp = new TempDirectory();
        TreeNode[][] trees = [[Branch(0, 0, "BRANCH_LEQ", 0f, 1, 2), Leaf(1, (1, 0.4f)), Leaf(2, (1, -0.4f))]];
        var graph = Graph("b", [Ensemble(trees, "x", ["label", "scores"], classes: 2)], [Value("x", DataType.Fp32, [-1, 1])], [Value("label", DataType.Int64, [-1]), Value("scores", DataType.Fp32, [-1, 2])]);

        var error = Assert.Throws<InferenceException>(() => TreeModelFile.Read(Write(temp, Save(graph))));

        Assert.Contains("has 2 classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MaxAggregate_InvalidNamingTheAggregate()
    {
        using var temp = new TempDirectory();
        var graph = Graph("m", [Ensemble(FiveFeatureForest(), "x", ["y"], aggregate: "MAX")], [Value("x", DataType.Fp32, [-1, 5])], [Value("y", DataType.Fp32, [-1, 1])]);

        var error = Assert.Throws<InferenceException>(() => TreeModelFile.Read(Write(temp, Save(graph))));

        Assert.Contains("aggregates with MAX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TreesReadComputedValue_InvalidNamingTheNode()
    {
        using var temp = new TempDirectory();
        var graph = Graph(
            "scaled",
            [Node("Mul", ["x", "two"], ["x2"]), Ensemble(FiveFeatureForest(), "x2", ["y"])],
            [Value("x", DataType.Fp32, [-1, 5])],
            [Value("y", DataType.Fp32, [-1, 1])],
            [FloatTensor("two", [1], [2f])]);

        var error = Assert.Throws<InferenceException>(() => TreeModelFile.Read(Write(temp, Save(graph))));

        Assert.Contains("computed by a Mul node", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NodeReachedTwice_InvalidNotATree()
    {
        using var temp = new TempDirectory();
        TreeNode[][] trees = [[Branch(0, 0, "BRANCH_LEQ", 0f, 1, 1), Leaf(1, 1f)]];
        var graph = Graph("dag", [Ensemble(trees, "x", ["y"])], [Value("x", DataType.Fp32, [-1, 1])], [Value("y", DataType.Fp32, [-1, 1])]);

        var error = Assert.Throws<InferenceException>(() => TreeModelFile.Read(Write(temp, Save(graph))));

        Assert.Contains("reaches one node twice", error.Message, StringComparison.Ordinal);
    }

    private static string Write(TempDirectory temp, byte[] model)
    {
        var path = Path.Combine(temp.Path, "model.onnx");
        File.WriteAllBytes(path, model);
        return path;
    }
}

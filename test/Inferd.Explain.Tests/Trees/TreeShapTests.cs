using System.Globalization;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Shap;
using Inferd.Explain.Trees;
using Inferd.Testing;
using static Inferd.Explain.Tests.Trees.BruteForceShapley;

namespace Inferd.Explain.Tests.Trees;

/// <summary>Tree SHAP on hand-written ensembles: equal to brute-force exact Shapley values, and its refusals.</summary>
public sealed class TreeShapTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData("SUM", false)]
    [InlineData("AVERAGE", false)]
    [InlineData("SUM", true)]
    public async Task ExplainAsync_FiveFeatureRegressor_EqualsBruteForceAndExactKernelShap(string aggregate, bool missing)
    {
        // Arrange: x sits on several thresholds (0.5 LEQ, 1.0 GTE/EQ/NEQ) so ties take the documented branch; with
        // missing, x[2] and a quarter of the background's column 2 are NaN, which the GTE node sends to its true child.
        var background = Rows(20, 5, seed: 3);
        double[] x = [0.5, -0.4, missing ? double.NaN : 1.0, 0.2, 1.0];
        if (missing)
        {
            foreach (var row in background.Where((_, i) => i % 4 == 0))
            {
                row[2] = double.NaN;
            }
        }

        await using var repository = new ExplainRepository()
            .Model("forest", TreeModels.VectorConfig("forest", 5, ("y", 1), ("p", 1)), [("model.onnx", TreeModels.FiveFeatureRegressor(aggregate))], ("background.jsonl", Lines(background)));
        using var service = await repository.StartAsync([new TreeShapExplainer(), new KernelShapExplainer()]);
        var request = ExplainRepository.VectorRow("forest", "x", x, DataType.Fp32) with { Output = "y" };

        // Act
        var result = await service.ExplainAsync(request with { Method = "tree_shap" }, CancellationToken.None).DefaultTimeout();
        var kernel = await service.ExplainAsync(request with { Method = "kernel_shap", Mode = "exact" }, CancellationToken.None).DefaultTimeout();
        var (phi, empty) = await ComputeAsync(repository.Facade!, "forest", [new("x", DataType.Fp32, [0, 1, 2, 3, 4], [5])], "y", 0, Boxed(x), background.Select(Boxed).ToArray());

        // Assert
        Assert.True(phi.Max(Math.Abs) > 0.1, "the brute-force values must not be trivially zero");
        Assert.Equal("tree_shap", result.Method);
        Assert.Equal(["x[0]", "x[1]", "x[2]", "x[3]", "x[4]"], result.Features.Select(f => f.Name));
        AssertClose(phi, result.Features.Select(f => f.Attribution).ToArray());
        AssertClose(kernel.Features.Select(f => f.Attribution).ToArray(), result.Features.Select(f => f.Attribution).ToArray());
        Assert.Equal(empty, result.BaseValue!.Value, Tolerance);
        Assert.True(result.AdditivityError < Tolerance, $"additivity error {result.AdditivityError}");
        Assert.Equal(1, result.Evaluations);
    }

    [Fact]
    public async Task ExplainAsync_NoMethodOnTreeModel_PicksTreeShap()
    {
        await using var repository = new ExplainRepository()
            .Model("forest", TreeModels.VectorConfig("forest", 5, ("y", 1), ("p", 1)), [("model.onnx", TreeModels.FiveFeatureRegressor())], ("background.jsonl", ExplainModels.Background(Rows(5, 5, seed: 4))));
        using var service = await repository.StartAsync([new TreeShapExplainer()]);

        var result = await service.ExplainAsync(ExplainRepository.VectorRow("forest", "x", [0.1, 0.2, 0.3, 0.4, 0.5], DataType.Fp32), CancellationToken.None).DefaultTimeout();

        Assert.Equal("tree_shap", result.Method);
        Assert.Equal("y", result.Output);
    }

    [Fact]
    public async Task ExplainAsync_ConcatOfCastInputs_EqualsBruteForceAndExactKernelShapPerInput()
    {
        var background = Rows(15, 3, seed: 5);
        double[] x = [0.1, 0.7, -0.3];
        var lines = string.Join('\n', background.Select(r => string.Create(CultureInfo.InvariantCulture, $$"""{"a": {{r[0]}}, "b": {{r[1]}}, "c": {{r[2]}}}""")));
        const string Config = """
            {"name": "joined", "max_batch_size": 64,
             "input": [{"name": "a", "data_type": "TYPE_FP64", "dims": [1]}, {"name": "b", "data_type": "TYPE_FP64", "dims": [1]}, {"name": "c", "data_type": "TYPE_FP64", "dims": [1]}],
             "output": [{"name": "y", "data_type": "TYPE_FP32", "dims": [1]}],
             "explain": {"background": {"file": "background.jsonl"}}}
            """;
        await using var repository = new ExplainRepository().Model("joined", Config, [("model.onnx", TreeModels.ConcatRegressor())], ("background.jsonl", lines));
        using var service = await repository.StartAsync([new TreeShapExplainer(), new KernelShapExplainer()]);
        var row = new InferenceRequest("joined", null, null, [Fp64("a", x[0]), Fp64("b", x[1]), Fp64("c", x[2])], [], new Dictionary<string, ParameterValue>());

        var result = await service.ExplainAsync(new ExplanationRequest(row) { Method = "tree_shap" }, CancellationToken.None).DefaultTimeout();
        var kernel = await service.ExplainAsync(new ExplanationRequest(row) { Method = "kernel_shap", Mode = "exact" }, CancellationToken.None).DefaultTimeout();
        InputSpec[] inputs = [new("a", DataType.Fp64, [0], [1]), new("b", DataType.Fp64, [1], [1]), new("c", DataType.Fp64, [2], [1])];
        var (phi, empty) = await ComputeAsync(repository.Facade!, "joined", inputs, "y", 0, Boxed(x), background.Select(Boxed).ToArray());

        Assert.True(phi.Max(Math.Abs) > 0.1, "the brute-force values must not be trivially zero");
        Assert.Equal(["a", "b", "c"], result.Features.Select(f => f.Name));
        AssertClose(phi, result.Features.Select(f => f.Attribution).ToArray());
        AssertClose(kernel.Features.Select(f => f.Attribution).ToArray(), result.Features.Select(f => f.Attribution).ToArray());
        Assert.Equal(empty, result.BaseValue!.Value, Tolerance);
    }

    [Fact]
    public async Task ExplainAsync_ThreeClassClassifier_EqualsBruteForceShapleyOfClassScore()
    {
        var background = Rows(12, 4, seed: 6);
        double[] x = [-0.2, 0.9, 0.3, -0.5];
        await using var repository = new ExplainRepository()
            .Model("classes", ClassifierConfig("classes"), [("model.onnx", TreeModels.ThreeClassClassifier())], ("background.jsonl", ExplainModels.Background(background)));
        using var service = await repository.StartAsync([new TreeShapExplainer()]);

        var result = await service.ExplainAsync(ExplainRepository.VectorRow("classes", "x", x, DataType.Fp32) with { Method = "tree_shap", Output = "scores", Target = 2 }, CancellationToken.None).DefaultTimeout();
        var (phi, empty) = await ComputeAsync(repository.Facade!, "classes", [new("x", DataType.Fp32, [0, 1, 2, 3], [4])], "scores", 2, Boxed(x), background.Select(Boxed).ToArray());

        Assert.True(phi.Max(Math.Abs) > 0.1, "the brute-force values must not be trivially zero");
        Assert.Equal(2, result.Target);
        AssertClose(phi, result.Features.Select(f => f.Attribution).ToArray());
        Assert.Equal(empty, result.BaseValue!.Value, Tolerance);
    }

    [Fact]
    public async Task ExplainAsync_ClassifierWithSoftmax_InvalidNamingPostTransform()
    {
        await using var repository = new ExplainRepository()
            .Model("soft", ClassifierConfig("soft"), [("model.onnx", TreeModels.ThreeClassClassifier("SOFTMAX"))], ("background.jsonl", ExplainModels.Background(Rows(3, 4, seed: 7))));
        using var service = await repository.StartAsync([new TreeShapExplainer()]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(
            ExplainRepository.VectorRow("soft", "x", [0, 0, 0, 0], DataType.Fp32) with { Method = "tree_shap", Output = "scores" }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("post_transform SOFTMAX", error.Message, StringComparison.Ordinal);
        Assert.Contains("kernel_shap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainAsync_OutputComputedFromScore_InvalidNamingTheScoreOutput()
    {
        await using var repository = new ExplainRepository()
            .Model("forest", TreeModels.VectorConfig("forest", 5, ("y", 1), ("p", 1)), [("model.onnx", TreeModels.FiveFeatureRegressor())], ("background.jsonl", ExplainModels.Background(Rows(3, 5, seed: 8))));
        using var service = await repository.StartAsync([new TreeShapExplainer()]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(
            ExplainRepository.VectorRow("forest", "x", [0, 0, 0, 0, 0], DataType.Fp32) with { Method = "tree_shap", Output = "p" }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.StartsWith("tree_shap: output 'p' is not the trees' raw score", error.Message, StringComparison.Ordinal);
        Assert.Contains("output 'y'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainAsync_TreeShapOnLinearModel_InvalidSuggestingKernelShap()
    {
        await using var repository = new ExplainRepository()
            .Model("lin", ExplainModels.VectorConfig("lin", 3, explain: """{"background": {"file": "background.jsonl"}}"""), [("model.onnx", ExplainModels.Linear([1, 2, 3], 0.5))], ("background.jsonl", "[0,0,0]\n"));
        using var service = await repository.StartAsync([new TreeShapExplainer()]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(
            ExplainRepository.VectorRow("lin", "x", [1, 2, 3]) with { Method = "tree_shap" }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("the model has no tree ensemble", error.Message, StringComparison.Ordinal);
        Assert.Contains("kernel_shap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainAsync_NoMethodOnLinearModel_DoesNotPickTreeShap()
    {
        // Only tree_shap is registered: when Supports says no, the service falls back to kernel_shap, which is absent here.
        await using var repository = new ExplainRepository()
            .Model("lin", ExplainModels.VectorConfig("lin", 3), [("model.onnx", ExplainModels.Linear([1, 2, 3], 0.5))]);
        using var service = await repository.StartAsync([new TreeShapExplainer()]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(ExplainRepository.VectorRow("lin", "x", [1, 2, 3]), CancellationToken.None)).DefaultTimeout();

        Assert.Contains("'kernel_shap' is not available", error.Message, StringComparison.Ordinal);
    }

    internal static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"feature {i}: brute force {expected[i]:R}, tree_shap {actual[i]:R}");
        }
    }

    internal static object[] Boxed(double[] row) => row.Cast<object>().ToArray();

    /// <summary>Random rows on a 0.1 grid in [-1, 1.5], so many values sit exactly on the thresholds.</summary>
    private static double[][] Rows(int count, int width, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, width).Select(_ => random.Next(-10, 16) / 10.0).ToArray()).ToArray();
    }

    /// <summary>A background of bare arrays; NaN written as the string "NaN" (JSON has no NaN number).</summary>
    private static string Lines(double[][] rows) => string.Join('\n', rows.Select(r =>
        "[" + string.Join(",", r.Select(v => double.IsNaN(v) ? "\"NaN\"" : v.ToString("R", CultureInfo.InvariantCulture))) + "]"));

    private static InferenceTensor Fp64(string name, double value)
    {
        var data = new byte[8];
        Evaluation.CellCodec.Write(DataType.Fp64, data, 0, value);
        return new InferenceTensor(name, DataType.Fp64, [1, 1], data);
    }

    private static string ClassifierConfig(string name) => $$"""
        {"name": "{{name}}", "max_batch_size": 64,
         "input": [{"name": "x", "data_type": "TYPE_FP32", "dims": [4]}],
         "output": [{"name": "scores", "data_type": "TYPE_FP32", "dims": [3]}],
         "explain": {"background": {"file": "background.jsonl"} } }
        """;
}

using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Shap;
using Inferd.Testing;

namespace Inferd.Explain.Tests.Shap;

/// <summary>What Kernel SHAP refuses, and that a refusal costs no model evaluation.</summary>
public sealed class KernelShapRequestTests
{
    [Fact]
    public async Task ExplainAsync_ExactPlanOverBudget_InvalidNamingBudgetBeforeAnyEvaluation()
    {
        // Arrange: 6 features × 50 rows need 63 × 50 = 3,150 evaluations.
        await using var repository = Linear(6);
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        var request = ExplainRepository.VectorRow("lin", "x", [1, 2, 3, 4, 5, 6]) with { Budget = 999 };

        // Act
        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request, CancellationToken.None)).DefaultTimeout();

        // Assert
        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("exact kernel_shap over 6 features and 50 background rows", error.Message, StringComparison.Ordinal);
        Assert.Contains("3,150", error.Message, StringComparison.Ordinal);
        Assert.Contains("budget of 999", error.Message, StringComparison.Ordinal);
        // Only the explained row itself reached the model.
        Assert.Equal(1UL, repository.Facade!.GetStatistics("lin", null).Single().InferenceCount);
    }

    [Fact]
    public async Task ExplainAsync_SampledPlanOverBudget_InvalidBeforeAnyEvaluation()
    {
        // Arrange: at least the empty coalition and one drawn pair, × 50 background rows, is over 100.
        await using var repository = Linear(6);
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        var request = ExplainRepository.VectorRow("lin", "x", [1, 2, 3, 4, 5, 6]) with { Mode = "sampled", Samples = 100, Budget = 100 };

        // Act
        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request, CancellationToken.None)).DefaultTimeout();

        // Assert
        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("sampled kernel_shap with 100 coalitions", error.Message, StringComparison.Ordinal);
        Assert.Contains("budget of 100 ", error.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, repository.Facade!.GetStatistics("lin", null).Single().InferenceCount);
    }

    [Fact]
    public async Task ExplainAsync_PlanExactlyAtBudget_Runs()
    {
        // Arrange
        await using var repository = Linear(6);
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        var request = ExplainRepository.VectorRow("lin", "x", [1, 2, 3, 4, 5, 6]) with { Budget = 3150 };

        // Act
        var result = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal(3151, result.Evaluations);
        Assert.Equal(3151UL, repository.Facade!.GetStatistics("lin", null).Single().InferenceCount);
    }

    [Theory]
    [InlineData(0, null, "parameter 'samples' must be from 1 to 65,536")]
    [InlineData(-5, null, "parameter 'samples' must be from 1 to 65,536")]
    [InlineData(100_000, null, "parameter 'samples' must be from 1 to 65,536")]
    [InlineData(null, "fuzzy", "parameter 'mode' must be 'exact' or 'sampled'; got 'fuzzy'")]
    [InlineData(10, "sampled", "parameter 'samples' must be at least 2 × features (12)")]
    public async Task ExplainAsync_BadParameter_InvalidNamingIt(int? samples, string? mode, string expected)
    {
        // Arrange
        await using var repository = Linear(6);
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        var request = ExplainRepository.VectorRow("lin", "x", [1, 2, 3, 4, 5, 6]) with { Samples = samples, Mode = mode };

        // Act
        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request, CancellationToken.None)).DefaultTimeout();

        // Assert
        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.StartsWith("kernel_shap: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, repository.Facade!.GetStatistics("lin", null).Single().InferenceCount);
    }

    [Fact]
    public async Task ExplainAsync_ExactForcedOnTwentyOneFeatures_InvalidPointingToSampled()
    {
        // Arrange
        await using var repository = Linear(21);
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        var request = ExplainRepository.VectorRow("lin", "x", new double[21]) with { Mode = "exact" };

        // Act
        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request, CancellationToken.None)).DefaultTimeout();

        // Assert
        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("limited to 20 features; this model has 21; use mode 'sampled'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainAsync_TwoVectorInputs_InvalidNotTabular()
    {
        // Arrange: INPUT0 and INPUT1, 4 floats each: neither named single fields nor one feature vector.
        await using var repository = new ExplainRepository().Model(
            "addsub",
            """
            {"name": "addsub", "max_batch_size": 8,
             "input": [{"name": "INPUT0", "data_type": "TYPE_FP32", "dims": [4]}, {"name": "INPUT1", "data_type": "TYPE_FP32", "dims": [4]}],
             "output": [{"name": "OUTPUT0", "data_type": "TYPE_FP32", "dims": [4]}, {"name": "OUTPUT1", "data_type": "TYPE_FP32", "dims": [4]}]}
            """,
            [("model.onnx", Inferd.Testing.Models.TestModels.AddSub(DataType.Fp32, [-1, 4]))]);
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        var data = new byte[16];
        var row = new InferenceRequest("addsub", null, null, [new InferenceTensor("INPUT0", DataType.Fp32, [1, 4], data), new InferenceTensor("INPUT1", DataType.Fp32, [1, 4], data)], [], new Dictionary<string, ParameterValue>());

        // Act
        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(new ExplanationRequest(row) { Method = "kernel_shap" }, CancellationToken.None)).DefaultTimeout();

        // Assert
        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("is not tabular", error.Message, StringComparison.Ordinal);
    }

    private static ExplainRepository Linear(int features) => new ExplainRepository().Model(
        "lin",
        ExplainModels.VectorConfig("lin", features, explain: ShapModels.Explain(50)),
        [("model.onnx", ExplainModels.Linear(Enumerable.Range(1, features).Select(i => (double)i).ToArray(), 0))],
        ("bg.jsonl", ExplainModels.Background(ShapModels.Rows(50, features, seed: 1))));
}

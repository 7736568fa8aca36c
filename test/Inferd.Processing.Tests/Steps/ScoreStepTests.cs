using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Processing.Tensors;
using static Inferd.Processing.Tests.Steps.StepHarness;

namespace Inferd.Processing.Tests.Steps;

/// <summary>softmax, sigmoid, topk and threshold against hand computations.</summary>
public sealed class ScoreStepTests : IDisposable
{
    private readonly StepHarness _harness = new();

    [Fact]
    public async Task Softmax_TwoRows_MatchesHandComputation()
    {
        // Arrange: row 0 = ln(1), ln(2), ln(3) gives 1/6, 2/6, 3/6; row 1 is huge, which a naive exp overflows.
        var logits = Floats("logits", [2, 3], 0f, MathF.Log(2), MathF.Log(3), 1000f, 1000f, 1000f);

        // Act
        var result = await _harness.LoadAndRunAsync("softmax", "{}", logits);

        // Assert
        Assert.Equal([2L, 3L], result[0].Shape);
        var p = TensorData.Floats(result[0]).ToArray();
        Assert.Equal([1 / 6f, 2 / 6f, 3 / 6f, 1 / 3f, 1 / 3f, 1 / 3f], p, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public async Task Softmax_OneDimensionalInput_FailsAtLoad()
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("softmax", "{}", Sig("logits", DataType.Fp32, [-1])));

        Assert.Contains("'logits'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigmoid_Values_MatchHandComputation()
    {
        var x = Floats("x", [1, 4], 0f, 2f, -2f, -800f);

        var result = await _harness.LoadAndRunAsync("sigmoid", "{}", x);

        var y = TensorData.Floats(result[0]).ToArray();
        Assert.Equal([0.5f, 0.880797f, 0.119203f, 0f], y, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal([1L, 4L], result[0].Shape);
    }

    [Fact]
    public async Task TopK_KTwoWithLabels_ReturnsBestFirstAndLowerIndexOnTies()
    {
        // Arrange
        _harness.WriteFile("labels.txt", "cat\ndog\nbird\n");
        var p = Floats("probabilities", [2, 3], 0.2f, 0.5f, 0.3f, 0.4f, 0.2f, 0.4f);

        // Act
        var result = await _harness.LoadAndRunAsync("topk", """{"k": 2, "labels": "labels.txt"}""", p);

        // Assert
        Assert.Equal([2L, 2L], result[0].Shape);
        Assert.Equal(["dog", "bird", "cat", "bird"], Strings(result[0]));
        Assert.Equal([0.5f, 0.3f, 0.4f, 0.4f], TensorData.Floats(result[1]).ToArray());
    }

    [Fact]
    public async Task TopK_NoLabelsKOne_ReturnsIndexTextWithBatchShape()
    {
        var p = Floats("probabilities", [2, 3], 0.1f, 0.2f, 0.7f, 0.6f, 0.3f, 0.1f);

        var result = await _harness.LoadAndRunAsync("topk", "{}", p);

        Assert.Equal([2L], result[0].Shape);
        Assert.Equal(["2", "0"], Strings(result[0]));
        Assert.Equal([0.7f, 0.6f], TensorData.Floats(result[1]).ToArray());
    }

    [Fact]
    public async Task TopK_LabelCountDiffersFromClasses_FailsAtLoad()
    {
        _harness.WriteFile("labels.txt", "a\nb\n");

        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("topk", """{"labels": "labels.txt"}""", Sig("probabilities", DataType.Fp32, [-1, 3])));

        Assert.Contains("2 labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopK_UnknownOption_FailsAtLoad()
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("topk", """{"top": 2}""", Sig("probabilities", DataType.Fp32, [-1, 3])));

        Assert.Contains("unknown option 'top'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopK_FewerClassesThanLabelsAtRunTime_IsInvalidInputNamingField()
    {
        _harness.WriteFile("labels.txt", "a\nb\nc\n");
        using var step = await _harness.LoadAsync("topk", """{"labels": "labels.txt"}""", Sig("probabilities", DataType.Fp32, [-1, -1]));

        var error = await Assert.ThrowsAsync<InferenceException>(() => RunAsync(step, Floats("probabilities", [1, 2], 0.5f, 0.5f)));

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("field 'probabilities'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Threshold_DefaultHalf_ScoreEqualToThresholdIsTrue()
    {
        var score = Floats("score", [3, 1], 0.5f, 0.49f, 0.9f);

        var result = await _harness.LoadAndRunAsync("threshold", "{}", score);

        Assert.Equal(DataType.Bool, result[0].DataType);
        Assert.Equal([3L], result[0].Shape);
        Assert.Equal([1, 0, 1], result[0].Data.ToArray());
    }

    [Fact]
    public async Task Threshold_Labels_ReturnsNames()
    {
        var score = Floats("score", [2], 0.2f, 0.8f);

        var result = await _harness.LoadAndRunAsync("threshold", """{"threshold": 0.7, "labels": ["ham", "spam"]}""", score);

        Assert.Equal(["ham", "spam"], Strings(result[0]));
    }

    [Fact]
    public async Task Threshold_ThreeLabels_FailsAtLoad()
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("threshold", """{"labels": ["a", "b", "c"]}""", Sig("score", DataType.Fp32, [-1])));

        Assert.Contains("'labels'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Threshold_TwoColumns_IsInvalidInputNamingField()
    {
        using var step = await _harness.LoadAsync("threshold", "{}", Sig("score", DataType.Fp32, [-1, -1]));

        var error = await Assert.ThrowsAsync<InferenceException>(() => RunAsync(step, Floats("score", [1, 2], 0.1f, 0.9f)));

        Assert.Contains("field 'score'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();
}

using System.Globalization;
using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Explain.Lime;
using Inferd.Testing;

namespace Inferd.Explain.Tests.Lime;

public sealed class LimeTabularTests
{
    private const string BackgroundExplain = """{"background": {"file": "background.jsonl"}}""";

    // |coef| ranks x2 > x0 > x1 > x3, but |coef × std| ranks x1 > x0 > x2 > x3: a method that forgot to scale back
    // from standardized units would get the ranking wrong.
    private static readonly double[] Coef = [2, -0.5, 4, -0.05];
    private static readonly double[] Means = [0, 10, -3, 50];
    private static readonly double[] Stds = [1, 5, 0.2, 10];

    [Fact]
    public async Task ExplainAsync_LinearModel_RecoversSignsRankingAndCoefficientsWithR2AbovePoint99()
    {
        // Arrange
        await using var repository = LinearRepository();
        using var service = await repository.StartAsync([new LimeExplainer()]);
        double[] x = [1.5, 4, -2.5, 70];
        var request = ExplainRepository.VectorRow("lin", "x", x) with { Method = "lime" };

        // Act
        var result = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal("lime_tabular", result.Method);
        Assert.True(result.R2 > 0.99, $"R² {result.R2}");
        var weights = result.Features.Select(f => f.Weight!.Value).ToArray();
        Assert.Equal(Coef.Select(Math.Sign), weights.Select(Math.Sign));
        Assert.Equal(Ranking(Coef), Ranking(weights));
        Assert.Equal(Coef, weights, (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(1000, result.Samples);
        Assert.Equal(1001, result.Evaluations);
        Assert.Equal(["x[0]", "x[1]", "x[2]", "x[3]"], result.Features.Select(f => f.Name));
        Assert.Equal("1.5", result.Features[0].Value);
        Assert.StartsWith("file background.jsonl (100 rows)", result.Background, StringComparison.Ordinal);

        // Attribution = weight × (x − background mean), and the intercept is the prediction at the mean.
        var background = Rows();
        for (var j = 0; j < x.Length; j++)
        {
            var mean = background.Average(r => r[j]);
            Assert.Equal(Coef[j] * (x[j] - mean), result.Features[j].Attribution, 1e-5);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"R² {result.R2:R}; weights {string.Join(", ", weights.Select(w => w.ToString("G6", CultureInfo.InvariantCulture)))}; {result.Evaluations} evaluations in {result.Calls} calls, {result.DurationMs:0.0} ms"));
    }

    [Fact]
    public async Task ExplainAsync_LinearModel_AttributionsAndInterceptEqualExactKernelShap()
    {
        // Arrange: for a linear model both are coef × (x − background mean), and LIME's intercept is f(mean), SHAP's base value.
        await using var repository = LinearRepository();
        using var service = await repository.StartAsync([new LimeExplainer(), new Explain.Shap.KernelShapExplainer()]);
        var row = ExplainRepository.VectorRow("lin", "x", [1.5, 4, -2.5, 70]);

        // Act
        var lime = await service.ExplainAsync(row with { Method = "lime_tabular" }, CancellationToken.None).DefaultTimeout();
        var shap = await service.ExplainAsync(row with { Method = "kernel_shap", Mode = "exact" }, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal(shap.Features.Select(f => f.Attribution), lime.Features.Select(f => f.Attribution), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(shap.BaseValue!.Value, lime.Intercept!.Value, 1e-6);
    }

    [Fact]
    public async Task ExplainAsync_NamedFieldsWithCategory_WeighsNumbersPerUnitAndTheCategoryByPresence()
    {
        // Arrange: a pipeline standardizes income and age and one-hot encodes region before a linear model.
        var pipeline = """
            {"name": "loans", "max_batch_size": 64,
             "pipeline": {
               "inputs": [
                 {"name": "income", "data_type": "TYPE_FP32", "dims": []},
                 {"name": "age", "data_type": "TYPE_FP32", "dims": []},
                 {"name": "region", "data_type": "TYPE_STRING", "dims": []}],
               "steps": [
                 {"name": "encode", "kind": "tabular", "options": {"features": [
                   {"name": "income", "type": "number", "mean": 50, "std": 10},
                   {"name": "age", "type": "number", "mean": 40, "std": 8},
                   {"name": "region", "type": "category", "categories": ["north", "south", "east"]}]}},
                 {"name": "model", "kind": "onnx"}],
               "outputs": ["y"]},
             "explain": {"background": {"file": "background.jsonl"}}}
            """;
        var random = new Random(3);
        string[] regions = ["north", "south", "east"];
        var lines = new StringBuilder();
        for (var i = 0; i < 300; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $$"""{"income": {{50 + (10 * LimeKernel.Normal(random)):0.###}}, "age": {{40 + (8 * LimeKernel.Normal(random)):0.###}}, "region": "{{regions[i % 3]}}"}""").Append('\n');
        }

        // Encoded coefficients: income +2 per std (0.2 per unit), age −4 per std (−0.5 per unit), south +3, east −1.
        await using var repository = new ExplainRepository()
            .Model("loans", pipeline, [("model.onnx", LimeModels.LinearFloat([2, -4, 0, 3, -1], 0.5f))], ("background.jsonl", lines.ToString()));
        using var service = await repository.StartAsync([new LimeExplainer()]);
        var request = LimeModels.Row("loans", LimeModels.Float("income", 60), LimeModels.Float("age", 30), LimeModels.Bytes("region", "south"u8.ToArray())) with { Method = "lime" };

        // Act
        var result = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("; ", result.Features.Select(f => $"{f.Name}={f.Value} weight {f.Weight:G4} attribution {f.Attribution:G4}")) + $"; R² {result.R2:G4}");
        Assert.Equal("lime_tabular", result.Method);
        Assert.Equal(["income", "age", "region"], result.Features.Select(f => f.Name));
        Assert.Equal(["60", "30", "south"], result.Features.Select(f => f.Value));
        Assert.Equal(0.2, result.Features[0].Weight!.Value, 0.01);
        Assert.Equal(-0.5, result.Features[1].Weight!.Value, 0.01);
        // Not south means north (0) or east (−1), half each: presence of south is worth about 3 − (−0.5) = 3.5.
        Assert.InRange(result.Features[2].Weight!.Value, 3.2, 3.8);
        Assert.Equal(result.Features[2].Weight, result.Features[2].Attribution);
        Assert.True(result.R2 > 0.9, $"R² {result.R2}");
    }

    [Fact]
    public async Task ExplainAsync_NoBackground_InvalidSayingHowToConfigureOne()
    {
        await using var repository = new ExplainRepository()
            .Model("lin", ExplainModels.VectorConfig("lin", 2), [("model.onnx", ExplainModels.Linear([1, 2], 0))]);
        using var service = await repository.StartAsync([new LimeExplainer()]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(ExplainRepository.VectorRow("lin", "x", [1, 2]) with { Method = "lime_tabular" }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("has no background data set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    [InlineData(100_001)]
    public async Task ExplainAsync_SamplesOutOfRange_InvalidNamingTheParameter(int samples)
    {
        await using var repository = LinearRepository();
        using var service = await repository.StartAsync([new LimeExplainer()]);
        var request = ExplainRepository.VectorRow("lin", "x", [1, 2, 3, 4]) with { Method = "lime", Samples = samples };

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("parameter 'samples' must be from 10 to 100,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainAsync_SamplesOverBudget_RefusedBeforeAnyEvaluation()
    {
        await using var repository = LinearRepository();
        using var service = await repository.StartAsync([new LimeExplainer()]);
        var request = ExplainRepository.VectorRow("lin", "x", [1, 2, 3, 4]) with { Method = "lime_tabular", Samples = 1000, Budget = 500 };

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request, CancellationToken.None)).DefaultTimeout();

        Assert.Contains("lime_tabular with 1,000 samples over 4 features needs 1,000 model evaluations, over the budget of 500", error.Message, StringComparison.Ordinal);
        Assert.Equal(1UL, repository.Facade!.GetStatistics("lin", null).Single().InferenceCount);
    }

    [Fact]
    public async Task ExplainAsync_MoreFeaturesThanTheLimit_InvalidBeforeReadingTheBackground()
    {
        await using var repository = new ExplainRepository()
            .Model("wide", ExplainModels.VectorConfig("wide", 1001), [("model.onnx", ExplainModels.Linear(new double[1001], 0))]);
        using var service = await repository.StartAsync([new LimeExplainer()]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(ExplainRepository.VectorRow("wide", "x", new double[1001]) with { Method = "lime" }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal("lime_tabular: model 'wide' has 1,001 features; at most 1,000 can be explained by LIME", error.Message);
    }

    private static ExplainRepository LinearRepository() => new ExplainRepository()
        .Model("lin", ExplainModels.VectorConfig("lin", 4, explain: BackgroundExplain), [("model.onnx", ExplainModels.Linear(Coef, 0.5))], ("background.jsonl", ExplainModels.Background(Rows())));

    private static double[][] Rows()
    {
        var random = new Random(11);
        return Enumerable.Range(0, 100).Select(_ => Enumerable.Range(0, 4).Select(j => Means[j] + (Stds[j] * LimeKernel.Normal(random))).ToArray()).ToArray();
    }

    private static int[] Ranking(IEnumerable<double> values) => values.Select((v, i) => (Abs: Math.Abs(v), i)).OrderByDescending(t => t.Abs).Select(t => t.i).ToArray();
}

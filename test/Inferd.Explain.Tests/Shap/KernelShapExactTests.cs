using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Explain.Evaluation;
using Inferd.Explain.Shap;
using Inferd.Testing;
using Inferd.Testing.Models;

namespace Inferd.Explain.Tests.Shap;

/// <summary>Exact Kernel SHAP against values known in closed form or computed here by brute force, through real ONNX Runtime.</summary>
public sealed class KernelShapExactTests
{
    private const double Tolerance = 1e-6;

    [Fact]
    public async Task ExplainAsync_LinearVectorModel_EqualsCoefTimesDeviationFromBackgroundMean()
    {
        // Arrange
        double[] coef = [1.5, -2, 0.25, 3, -0.75, 4];
        var background = ShapModels.Rows(50, coef.Length, seed: 3);
        await using var repository = new ExplainRepository().Model(
            "lin",
            ExplainModels.VectorConfig("lin", coef.Length, explain: ShapModels.Explain(50)),
            [("model.onnx", ExplainModels.Linear(coef, 0.5))],
            ("bg.jsonl", ExplainModels.Background(background)));
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        double[] x = [1, -1, 2, 0.5, 3, -2];

        // Act
        var result = await service.ExplainAsync(ExplainRepository.VectorRow("lin", "x", x) with { Method = "kernel_shap" }, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal("exact", result.Mode);
        Assert.Equal(coef.Length, result.Features.Count);
        for (var i = 0; i < coef.Length; i++)
        {
            var mean = background.Average(r => r[i]);
            Assert.Equal($"x[{i}]", result.Features[i].Name);
            Assert.Equal(coef[i] * (x[i] - mean), result.Features[i].Attribution, Tolerance);
            Assert.Null(result.Features[i].Error);
        }

        var expectedBase = background.Average(r => r.Select((v, i) => v * coef[i]).Sum()) + 0.5;
        Assert.Equal(expectedBase, result.BaseValue!.Value, Tolerance);
        Assert.Equal(x.Select((v, i) => v * coef[i]).Sum() + 0.5, result.Prediction, Tolerance);
        Assert.True(result.AdditivityError < Tolerance, $"additivity error {result.AdditivityError}");
        // 2^6 − 1 coalitions × 50 background rows, plus the explained row; 256 rows per call.
        Assert.Equal((63 * 50) + 1, result.Evaluations);
        Assert.Equal(((63 * 50) + 255) / 256 + 1, result.Calls);
        Assert.Contains("bg.jsonl (50 rows)", result.Background, StringComparison.Ordinal);
        Assert.Null(result.StatedError);
        Assert.Null(result.Samples);
    }

    [Fact]
    public async Task ExplainAsync_NamedFieldModel_EqualsCoefTimesDeviationPerField()
    {
        // Arrange
        var background = ShapModels.Rows(20, 3, seed: 5);
        await using var repository = new ExplainRepository().Model(
            "fields",
            ShapModels.NamedFieldsConfig("fields", ShapModels.Explain(20)),
            [("model.onnx", ShapModels.NamedFields())],
            ("bg.jsonl", ShapModels.FieldBackground(background)));
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        double[] x = [0.5, 1.25, -4];

        // Act
        var result = await service.ExplainAsync(ShapModels.FieldRow("fields", x), CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal("kernel_shap", result.Method);
        Assert.Equal(["a", "b", "c"], result.Features.Select(f => f.Name));
        Assert.Equal(["0.5", "1.25", "-4"], result.Features.Select(f => f.Value));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ShapModels.Fields[i].Coef * (x[i] - background.Average(r => r[i])), result.Features[i].Attribution, Tolerance);
        }

        Assert.True(result.AdditivityError < Tolerance, $"additivity error {result.AdditivityError}");
    }

    [Fact]
    public async Task ExplainAsync_NonlinearModel_AddsUpAndMatchesBruteForceShapley()
    {
        // Arrange: a ReLU MLP over 3 features, FP32.
        const int Features = 3;
        var background = ShapModels.Rows(8, Features, seed: 11);
        await using var repository = new ExplainRepository().Model(
            "mlp",
            ShapModels.MlpConfig("mlp", Features, ShapModels.Explain(8)),
            [("model.onnx", TestModels.Mlp(Features, 16, 1, seed: 4))],
            ("bg.jsonl", ExplainModels.Background(background)));
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        double[] x = [1.5, -0.5, 2];

        // Act
        var result = await service.ExplainAsync(ExplainRepository.VectorRow("mlp", TestModels.MlpInput, x, DataType.Fp32), CancellationToken.None).DefaultTimeout();

        // Assert: v(S) computed here through the facade, Shapley values as the average marginal contribution over all 3! orders.
        var v = new double[1 << Features];
        for (var mask = 0; mask < v.Length; mask++)
        {
            var rows = background.Select(b => b.Select((value, i) => (mask & (1 << i)) != 0 ? x[i] : value).ToArray()).ToArray();
            v[mask] = (await RunAsync(repository.Facade!, "mlp", rows)).Average();
        }

        int[][] orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        var expected = new double[Features];
        foreach (var order in orders)
        {
            var mask = 0;
            foreach (var i in order)
            {
                expected[i] += (v[mask | (1 << i)] - v[mask]) / orders.Length;
                mask |= 1 << i;
            }
        }

        Assert.Equal("exact", result.Mode);
        for (var i = 0; i < Features; i++)
        {
            Assert.Equal(expected[i], result.Features[i].Attribution, 1e-5);
        }

        Assert.Equal(v[0], result.BaseValue!.Value, 1e-5);
        Assert.True(result.AdditivityError < Tolerance, $"additivity error {result.AdditivityError}");
        Assert.True(Math.Abs(result.Features.Sum(f => f.Attribution) - (result.Prediction - result.BaseValue.Value)) < Tolerance);
    }

    [Fact]
    public async Task ExplainAsync_TwelveFeatureMlp_ExactByDefaultAndAddsUp()
    {
        // Arrange
        const int Features = 12;
        var background = ShapModels.Rows(5, Features, seed: 2);
        await using var repository = new ExplainRepository().Model(
            "mlp",
            ShapModels.MlpConfig("mlp", Features, ShapModels.Explain(5)),
            [("model.onnx", TestModels.Mlp(Features, 32, 1, seed: 9))],
            ("bg.jsonl", ExplainModels.Background(background)));
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        var x = ShapModels.Rows(1, Features, seed: 99)[0];

        // Act
        var result = await service.ExplainAsync(ExplainRepository.VectorRow("mlp", TestModels.MlpInput, x, DataType.Fp32), CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal("exact", result.Mode);
        Assert.Equal((4095 * 5) + 1, result.Evaluations);
        Assert.True(result.AdditivityError < Tolerance, $"additivity error {result.AdditivityError}");
        Assert.Contains(result.Features, f => Math.Abs(f.Attribution) > 1e-3);
    }

    private static async Task<double[]> RunAsync(IInferenceService facade, string model, double[][] rows)
    {
        var features = rows[0].Length;
        var data = new byte[rows.Length * features * sizeof(float)];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var i = 0; i < features; i++)
            {
                CellCodec.Write(DataType.Fp32, data, (r * features) + i, rows[r][i]);
            }
        }

        var request = new InferenceRequest(model, null, null, [new InferenceTensor(TestModels.MlpInput, DataType.Fp32, [rows.Length, features], data)], [], new Dictionary<string, ParameterValue>());
        var response = await facade.InferAsync(request, CancellationToken.None).DefaultTimeout();
        var output = response.Outputs.Single(o => o.Name == TestModels.MlpOutput);
        return Enumerable.Range(0, rows.Length).Select(r => CellCodec.Read(output.DataType, output.Data.Span, r)).ToArray();
    }
}

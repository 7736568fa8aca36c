using Inferd.Abstractions.Tensors;
using Inferd.Explain.Shap;
using Inferd.Testing;
using Inferd.Testing.Models;

namespace Inferd.Explain.Tests.Shap;

/// <summary>Sampled Kernel SHAP on a 14-feature MLP against the exact values of the same model, through real ONNX Runtime.</summary>
public sealed class KernelShapSampledTests
{
    private const int Features = 14;

    [Fact]
    public async Task ExplainAsync_FourteenFeatures_SampledByDefaultWithinStatedErrorOfExact()
    {
        // Arrange: 10 background rows keep exact mode at (2^14 − 1) × 10 = 163,830 evaluations.
        await using var repository = Repository();
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        var request = Row();

        // Act
        var sampled = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();
        var exact = await service.ExplainAsync(request with { Mode = "exact" }, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal("sampled", sampled.Mode);
        Assert.Equal("exact", exact.Mode);
        Assert.Equal(KernelShapExplainer.DefaultSamples, sampled.Samples);
        Assert.NotNull(sampled.StatedError);
        var stated = sampled.StatedError.Value;
        Assert.True(stated > 0, "a sampled estimate states a positive error");
        Assert.Equal(stated, 3 * sampled.Features.Max(f => f.Error!.Value), 1e-12);
        // The efficiency constraint is held exactly, so the sum is right to rounding, far inside the stated error.
        Assert.True(sampled.AdditivityError < 1e-6, $"additivity error {sampled.AdditivityError}");
        Assert.Equal(exact.BaseValue!.Value, sampled.BaseValue!.Value, 1e-9);
        for (var i = 0; i < Features; i++)
        {
            var difference = Math.Abs(sampled.Features[i].Attribution - exact.Features[i].Attribution);
            Assert.True(difference <= stated, $"feature {i}: sampled {sampled.Features[i].Attribution}, exact {exact.Features[i].Attribution}, stated error {stated}");
        }

        // The model is not flat: the check above would be empty if every attribution were ~0.
        Assert.True(exact.Features.Max(f => Math.Abs(f.Attribution)) > 10 * stated, $"largest exact attribution {exact.Features.Max(f => Math.Abs(f.Attribution))}, stated error {stated}");
        Assert.True(sampled.Evaluations < exact.Evaluations / 4, $"sampled used {sampled.Evaluations} evaluations, exact {exact.Evaluations}");
    }

    [Fact]
    public async Task ExplainAsync_SameSeed_SameAnswerAndOtherSeedDiffers()
    {
        // Arrange
        await using var repository = Repository();
        using var service = await repository.StartAsync([new KernelShapExplainer()]);
        var request = Row() with { Samples = 200 };

        // Act
        var first = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();
        var again = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();
        var other = await service.ExplainAsync(request with { Seed = 2 }, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Equal(200, first.Samples);
        Assert.Equal(first.Features.Select(f => f.Attribution), again.Features.Select(f => f.Attribution));
        Assert.Equal(first.StatedError, again.StatedError);
        Assert.NotEqual(first.Features.Select(f => f.Attribution), other.Features.Select(f => f.Attribution));
        Assert.True(first.AdditivityError < 1e-6, $"additivity error {first.AdditivityError}");
    }

    private static ExplainRepository Repository() => new ExplainRepository().Model(
        "mlp",
        ShapModels.MlpConfig("mlp", Features, ShapModels.Explain(10)),
        [("model.onnx", TestModels.Mlp(Features, 16, 1, seed: 21))],
        ("bg.jsonl", ExplainModels.Background(ShapModels.Rows(10, Features, seed: 8))));

    private static ExplanationRequest Row() =>
        ExplainRepository.VectorRow("mlp", TestModels.MlpInput, ShapModels.Rows(1, Features, seed: 77)[0], DataType.Fp32) with { Seed = 5 };
}

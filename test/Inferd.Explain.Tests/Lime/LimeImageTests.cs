using System.Globalization;
using Inferd.Abstractions.Inference;
using Inferd.Explain.Lime;
using Inferd.Testing;
using SkiaSharp;

namespace Inferd.Explain.Tests.Lime;

public sealed class LimeImageTests
{
    // The image step turns the PNG into a [1,3,64,64] tensor in 0..1; the model answers the mean red of the top-left
    // quadrant, so only the superpixels there can matter.
    private const string Config = """
        {"name": "pictures", "max_batch_size": 64,
         "pipeline": {
           "inputs": [{"name": "image", "data_type": "TYPE_STRING", "dims": []}],
           "steps": [
             {"name": "decode", "kind": "image", "options": {"width": 64, "height": 64}},
             {"name": "model", "kind": "onnx"}],
           "outputs": ["y"]}}
        """;

    [Fact]
    public async Task ExplainAsync_TopLeftRedModel_TopSuperpixelsLieInTheTopLeftQuadrantAndTheHeatmapDecodes()
    {
        // Arrange
        await using var repository = new ExplainRepository().Model("pictures", Config, [("model.onnx", LimeModels.TopLeftRed(64))]);
        using var service = await repository.StartAsync([new LimeExplainer()]);
        var request = LimeModels.Row("pictures", LimeModels.Bytes("image", LimeModels.Tiles())) with { Method = "lime", Segments = 16, Samples = 300, Heatmap = true };

        // Act
        var result = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("; ", result.Features.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name} [{f.Value}] {f.Weight:G4}"))) + $"; R² {result.R2:G6}; {result.Evaluations} evaluations in {result.Calls} calls, {result.DurationMs:0.0} ms");
        Assert.Equal("lime_image", result.Method);
        Assert.InRange(result.Features.Count, 12, 20);
        var top = result.Features.Max(f => f.Weight!.Value);
        Assert.True(top > 0.05, $"largest weight {top}");
        var strong = result.Features.Where(f => f.Weight > top / 2).ToArray();
        Assert.NotEmpty(strong);
        Assert.All(strong, f => Assert.True(InTopLeft(f.Value), $"{f.Name} at {f.Value} has weight {f.Weight}"));
        Assert.All(result.Features.Where(f => !InTopLeft(f.Value)), f => Assert.True(Math.Abs(f.Weight!.Value) < top / 10, $"{f.Name} at {f.Value} has weight {f.Weight}"));
        Assert.True(result.R2 > 0.99, $"R² {result.R2}");
        Assert.NotNull(result.HeatmapPng);
        using var heatmap = SKBitmap.Decode(result.HeatmapPng);
        Assert.NotNull(heatmap);
        Assert.Equal((64, 64), (heatmap.Width, heatmap.Height));
        // Top-left is tinted red (positive); the bottom-right grey tile is only dimmed.
        Assert.True(heatmap.GetPixel(8, 8).Red > heatmap.GetPixel(8, 8).Blue + 50);
        Assert.InRange(heatmap.GetPixel(56, 56).Red - heatmap.GetPixel(56, 56).Blue, -3, 3);
    }

    [Fact]
    public async Task ExplainAsync_NoHeatmapAsked_ReturnsNone()
    {
        await using var repository = new ExplainRepository().Model("pictures", Config, [("model.onnx", LimeModels.TopLeftRed(64))]);
        using var service = await repository.StartAsync([new LimeExplainer()]);
        var request = LimeModels.Row("pictures", LimeModels.Bytes("image", LimeModels.Tiles())) with { Method = "lime_image", Segments = 16, Samples = 20 };

        var result = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();

        Assert.Null(result.HeatmapPng);
        Assert.Equal(21, result.Evaluations);
    }

    [Fact]
    public async Task ExplainAsync_LimeImageOnAVectorModel_InvalidSayingThereIsNoPicture()
    {
        await using var repository = new ExplainRepository()
            .Model("lin", ExplainModels.VectorConfig("lin", 2), [("model.onnx", ExplainModels.Linear([1, 2], 0))]);
        using var service = await repository.StartAsync([new LimeExplainer()]);

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(ExplainRepository.VectorRow("lin", "x", [1, 2]) with { Method = "lime_image" }, CancellationToken.None)).DefaultTimeout();

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.StartsWith("lime_image: model 'lin' has no input holding a picture", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("its inputs are x FP64[2]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(501)]
    public async Task ExplainAsync_SegmentsOutOfRange_InvalidNamingTheParameter(int segments)
    {
        await using var repository = new ExplainRepository().Model("pictures", Config, [("model.onnx", LimeModels.TopLeftRed(64))]);
        using var service = await repository.StartAsync([new LimeExplainer()]);
        var request = LimeModels.Row("pictures", LimeModels.Bytes("image", LimeModels.Tiles())) with { Method = "lime_image", Segments = segments };

        var error = await Assert.ThrowsAsync<InferenceException>(() => service.ExplainAsync(request, CancellationToken.None)).DefaultTimeout();

        Assert.Contains("parameter 'segments' must be from 2 to 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainAsync_NchwTensorInput_MasksTheTensorAndFindsTheTopLeftQuadrant()
    {
        // Arrange: the model reads a [N,3,32,32] float tensor directly; tile (tx, ty) of 8 px has red 0.9 − 0.1·tile in
        // the top-left quadrant and other colours elsewhere.
        var config = """
            {"name": "raw", "max_batch_size": 64,
             "input": [{"name": "tensor", "data_type": "TYPE_FP32", "dims": [3, 32, 32]}],
             "output": [{"name": "y", "data_type": "TYPE_FP32", "dims": [1]}]}
            """;
        await using var repository = new ExplainRepository().Model("raw", config, [("model.onnx", LimeModels.TopLeftRed(32))]);
        using var service = await repository.StartAsync([new LimeExplainer()]);
        var data = new byte[3 * 32 * 32 * 4];
        for (var p = 0; p < 32 * 32; p++)
        {
            var (tx, ty) = (p % 32 / 8, p / 32 / 8);
            var tile = (ty * 4) + tx;
            var red = tx < 2 && ty < 2 ? 0.9f - (0.1f * tile) : 0.05f * (tile % 3);
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(p * 4), red);
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan((1024 + p) * 4), 0.07f * tile);
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan((2048 + p) * 4), 1 - (0.06f * tile));
        }

        var tensor = new Abstractions.Tensors.InferenceTensor("tensor", Abstractions.Tensors.DataType.Fp32, [1, 3, 32, 32], data);
        var request = LimeModels.Row("raw", tensor) with { Method = "lime", Segments = 16, Samples = 200 };

        // Act
        var result = await service.ExplainAsync(request, CancellationToken.None).DefaultTimeout();

        // Assert
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("; ", result.Features.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Name} [{f.Value}] {f.Weight:G4}"))));
        Assert.Equal("lime_image", result.Method);
        var top = result.Features.MaxBy(f => f.Weight!.Value)!;
        Assert.True(InTopLeft(top.Value, 16), top.Value);
        Assert.All(result.Features.Where(f => !InTopLeft(f.Value, 16)), f => Assert.True(Math.Abs(f.Weight!.Value) < top.Weight / 10, $"{f.Name} at {f.Value} has weight {f.Weight}"));
        Assert.True(result.R2 > 0.99, $"R² {result.R2}");
    }

    private static bool InTopLeft(string box, int half = 32)
    {
        var p = box.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return p[0] + p[2] <= half && p[1] + p[3] <= half;
    }
}

using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Processing.Steps.Image;
using Inferd.Processing.Tensors;
using static Inferd.Processing.Tests.Steps.StepHarness;

namespace Inferd.Processing.Tests.Steps;

/// <summary>The image step and <see cref="ImagePreprocessor"/>: layouts, normalization, resize modes, bad data.</summary>
public sealed class ImageStepTests : IDisposable
{
    private static readonly (byte, byte, byte) Red = (255, 0, 0);
    private static readonly (byte, byte, byte) Green = (0, 255, 0);
    private static readonly (byte, byte, byte) Blue = (0, 0, 255);
    private static readonly (byte, byte, byte) Grey = (51, 102, 153);

    private readonly StepHarness _harness = new();

    [Fact]
    public async Task Run_SameSizeNchwRgb_WritesPlanesScaledTo01()
    {
        // Arrange: 2×1, no resampling at the same size.
        var image = Bytes("image", TestImages.Png(2, 1, Red, Grey));

        // Act
        var result = await _harness.LoadAndRunAsync("image", """{"width": 2, "height": 1}""", image);

        // Assert: planes R, G, B.
        Assert.Equal([1L, 3L, 1L, 2L], result[0].Shape);
        Assert.Equal([1f, 0.2f, 0f, 0.4f, 0f, 0.6f], TensorData.Floats(result[0]).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public async Task Run_NhwcBgrWithMeanAndStd_NormalizesPerOutputChannel()
    {
        var image = Bytes("image", TestImages.Png(1, 1, Grey));

        var result = await _harness.LoadAndRunAsync("image", """{"width": 1, "height": 1, "layout": "nhwc", "channel_order": "bgr", "scale": 1.0, "mean": [100, 100, 100], "std": [2, 4, 1]}""", image);

        // B=153 → (153-100)/2, G=102 → (102-100)/4, R=51 → 51-100.
        Assert.Equal([1L, 1L, 1L, 3L], result[0].Shape);
        Assert.Equal([26.5f, 0.5f, -49f], TensorData.Floats(result[0]).ToArray());
    }

    [Fact]
    public async Task Run_CenterCrop_KeepsTheMiddleColumns()
    {
        // 4×2 image with columns red, green, blue, grey; cropping to 2×2 needs no scaling and keeps green, blue.
        var image = Bytes("image", TestImages.Png(4, 2, Red, Green, Blue, Grey, Red, Green, Blue, Grey));

        var result = await _harness.LoadAndRunAsync("image", """{"width": 2, "height": 2, "resize": "center_crop", "data_type": "TYPE_UINT8", "layout": "nhwc"}""", image);

        Assert.Equal(DataType.UInt8, result[0].DataType);
        Assert.Equal(new byte[] { 0, 255, 0, 0, 0, 255, 0, 255, 0, 0, 0, 255 }, result[0].Data.ToArray());
    }

    [Fact]
    public async Task Run_FitPad_ScalesKeepingAspectAndPadsBelowWithPadValue()
    {
        // 2×1 red into 4×4: scaled to 4×2 at the top, rows 2 and 3 padded with -1 (after normalization).
        var image = Bytes("image", TestImages.Png(2, 1, Red));

        var result = await _harness.LoadAndRunAsync("image", """{"width": 4, "height": 4, "resize": "fit_pad", "mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5], "pad_value": -1}""", image);

        var v = TensorData.Floats(result[0]).ToArray();
        float[] redPlane = [1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1];
        float[] otherPlane = [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1];
        Assert.Equal([.. redPlane, .. otherPlane, .. otherPlane], v);
    }

    [Fact]
    public async Task Run_Stretch_UniformImageStaysUniformAfterResize()
    {
        var image = Bytes("image", TestImages.Png(7, 3, Grey));

        var result = await _harness.LoadAndRunAsync("image", """{"width": 5, "height": 4, "data_type": "TYPE_UINT8"}""", image);

        Assert.Equal([1L, 3L, 4L, 5L], result[0].Shape);
        var bytes = result[0].Data.ToArray();
        Assert.All(bytes[..20], b => Assert.Equal(51, b));
        Assert.All(bytes[40..], b => Assert.Equal(153, b));
    }

    [Fact]
    public async Task Run_UndecodableRow_IsInvalidInputNamingFieldAndRow()
    {
        using var step = await _harness.LoadWiredAsync("image", """{"width": 2, "height": 2}""", new() { ["image"] = "photo" }, Sig("photo", DataType.Bytes, [-1]));

        var error = await Assert.ThrowsAsync<InferenceException>(() => RunAsync(step, Bytes("photo", TestImages.Png(1, 1, Red), "not an image"u8.ToArray())));

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("field 'photo' row 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fill_HeaderClaimsHundredMegapixels_RefusesBeforeDecoding()
    {
        var options = new ImageOptions(2, 2, Mean: [0, 0, 0], Std: [1, 1, 1]);

        var error = Assert.Throws<InferenceException>(() => ImagePreprocessor.Fill(TestImages.PngHeader(10_000, 10_000), options, new float[12], "image", 3));

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
        Assert.Contains("field 'image' row 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("megapixels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fill_EncodedOver32MiB_RefusesNamingField()
    {
        var options = new ImageOptions(2, 2, Mean: [0, 0, 0], Std: [1, 1, 1]);
        var huge = new byte[ImagePreprocessor.MaxEncodedBytes + 1];

        var error = Assert.Throws<InferenceException>(() => ImagePreprocessor.Fill(huge, options, new float[12], "image", 0));

        Assert.Contains("field 'image' row 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fill_TruncatedPng_IsInvalidInput()
    {
        var png = TestImages.Png(16, 16, Grey);
        var options = new ImageOptions(2, 2, Mean: [0, 0, 0], Std: [1, 1, 1]);

        var error = Assert.Throws<InferenceException>(() => ImagePreprocessor.Fill(png.AsSpan(0, png.Length / 2), options, new float[12], "image", 0));

        Assert.Contains("field 'image' row 0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"height": 2}""", "'width' is required")]
    [InlineData("""{"width": 5000, "height": 2}""", "'width' must be in")]
    [InlineData("""{"width": 2, "height": 2, "resize": "zoom"}""", "'resize'")]
    [InlineData("""{"width": 2, "height": 2, "mean": [1, 2]}""", "'mean' must hold 3")]
    [InlineData("""{"width": 2, "height": 2, "std": [1, 0, 1]}""", "'std'")]
    [InlineData("""{"width": 2, "height": 2, "data_type": "TYPE_UINT8", "scale": 1}""", "TYPE_UINT8")]
    [InlineData("""{"width": 2, "height": 2, "colour": "rgb"}""", "unknown option 'colour'")]
    public async Task Load_BadOption_FailsNamingOption(string options, string expected)
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("image", options, Sig("image", DataType.Bytes, [-1])));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_ImageIsFloat_FailsAtLoad()
    {
        var error = await Assert.ThrowsAsync<ModelConfigException>(() => _harness.LoadAsync("image", """{"width": 2, "height": 2}""", Sig("image", DataType.Fp32, [-1, 4])));

        Assert.Contains("BYTES", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _harness.Dispose();
}

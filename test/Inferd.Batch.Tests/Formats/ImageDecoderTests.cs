using Inferd.Batch.Conversion;
using SkiaSharp;

namespace Inferd.Batch.Tests.Formats;

/// <summary>Image decoding into tensors: formats, layouts, channels, resizing, and refusing what is not an image.</summary>
public sealed class ImageDecoderTests
{
    private static readonly SKColor[,] Pixels = TestImages.FourByTwo;

    [Fact]
    public void TryDecode_PngToPlanarFloats_KnownValuesOver255()
    {
        // Arrange
        var png = TestImages.Encode(Pixels, SKEncodedImageFormat.Png);
        var tensor = new float[3 * 2 * 4];

        // Act
        var ok = ImageDecoder.TryDecode(png, 3, 2, 4, channelsFirst: true, tensor, out var error);

        // Assert
        Assert.True(ok, error);
        Assert.Null(error);
        AssertClose(TestImages.Planar(Pixels).Select(b => b / 255f), tensor, 1 / 255f);
    }

    [Fact]
    public void TryDecode_PngToInterleavedBytes_KnownValues()
    {
        // Arrange
        var png = TestImages.Encode(Pixels, SKEncodedImageFormat.Png);
        var tensor = new byte[2 * 4 * 3];

        // Act
        var ok = ImageDecoder.TryDecode(png, 3, 2, 4, channelsFirst: false, tensor, out var error);

        // Assert
        Assert.True(ok, error);
        Assert.Equal(TestImages.Interleaved(Pixels), tensor);
    }

    [Fact]
    public void TryDecode_OneChannel_Bt601Luminance()
    {
        // Arrange
        var png = TestImages.Encode(Pixels, SKEncodedImageFormat.Png);
        var tensor = new byte[2 * 4];

        // Act
        var ok = ImageDecoder.TryDecode(png, 1, 2, 4, channelsFirst: true, tensor, out var error);

        // Assert: e.g. (10, 20, 30) gives 0.299·10 + 0.587·20 + 0.114·30 = 18.15.
        Assert.True(ok, error);
        Assert.Equal([76, 150, 29, 255, 0, 18, 124, 128], tensor);
    }

    [Fact]
    public void TryDecode_JpegSolidColour_CloseToColourInBothLayouts()
    {
        // Arrange: a solid block keeps JPEG's loss to rounding.
        var colour = new SKColor(200, 100, 50);
        var jpeg = TestImages.Encode(TestImages.Solid(16, 16, colour), SKEncodedImageFormat.Jpeg);
        var planar = new float[3 * 16 * 16];
        var interleaved = new float[16 * 16 * 3];

        // Act
        var planarOk = ImageDecoder.TryDecode(jpeg, 3, 16, 16, channelsFirst: true, planar, out var planarError);
        var interleavedOk = ImageDecoder.TryDecode(jpeg, 3, 16, 16, channelsFirst: false, interleaved, out var interleavedError);

        // Assert
        Assert.True(planarOk, planarError);
        Assert.True(interleavedOk, interleavedError);
        AssertClose(TestImages.Planar(TestImages.Solid(16, 16, colour)).Select(b => b / 255f), planar, 3 / 255f);
        AssertClose(TestImages.Interleaved(TestImages.Solid(16, 16, colour)).Select(b => b / 255f), interleaved, 3 / 255f);
    }

    [Fact]
    public void TryDecode_Bmp_KnownValues()
    {
        // Arrange
        var bmp = TestImages.Bmp(Pixels);
        var tensor = new byte[3 * 2 * 4];

        // Act
        var ok = ImageDecoder.TryDecode(bmp, 3, 2, 4, channelsFirst: true, tensor, out var error);

        // Assert
        Assert.True(ok, error);
        Assert.Equal(TestImages.Planar(Pixels), tensor);
    }

    [Fact]
    public void TryDecode_LosslessWebp_KnownValues()
    {
        // Arrange
        var webp = TestImages.EncodeLosslessWebp(Pixels);
        var tensor = new byte[3 * 2 * 4];

        // Act
        var ok = ImageDecoder.TryDecode(webp, 3, 2, 4, channelsFirst: true, tensor, out var error);

        // Assert
        Assert.True(ok, error);
        Assert.Equal(TestImages.Planar(Pixels), tensor);
    }

    [Theory]
    [InlineData(8, 4)]
    [InlineData(3, 1)]
    [InlineData(224, 224)]
    public void TryDecode_OtherSize_ResizedSolidColourKeepsColour(int width, int height)
    {
        // Arrange
        var colour = new SKColor(30, 160, 220);
        var png = TestImages.Encode(TestImages.Solid(4, 2, colour), SKEncodedImageFormat.Png);
        var tensor = new float[3 * height * width];

        // Act
        var ok = ImageDecoder.TryDecode(png, 3, height, width, channelsFirst: true, tensor, out var error);

        // Assert
        Assert.True(ok, error);
        AssertClose(TestImages.Planar(TestImages.Solid(width, height, colour)).Select(b => b / 255f), tensor, 1 / 255f);
    }

    [Fact]
    public void TryDecode_Downscale_AveragesFineDetail()
    {
        // Arrange: a one-pixel checkerboard shrunk 16 times has to come out grey, not black or white.
        var checkerboard = new SKColor[64, 64];
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                checkerboard[y, x] = (x + y) % 2 == 0 ? SKColors.White : SKColors.Black;
            }
        }

        var png = TestImages.Encode(checkerboard, SKEncodedImageFormat.Png);
        var tensor = new byte[4 * 4];

        // Act
        var ok = ImageDecoder.TryDecode(png, 1, 4, 4, channelsFirst: true, tensor, out var error);

        // Assert
        Assert.True(ok, error);
        Assert.All(tensor, v => Assert.InRange(v, 112, 144));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0 })]
    public void TryDecode_Garbage_FalseWithError(byte[] data)
    {
        // Arrange
        var tensor = new float[3 * 2 * 2];

        // Act
        var ok = ImageDecoder.TryDecode(data, 3, 2, 2, channelsFirst: true, tensor, out var error);

        // Assert
        Assert.False(ok);
        Assert.Contains("not a decodable image (PNG, JPEG, BMP, GIF or WebP)", error);
    }

    [Fact]
    public void TryDecode_TruncatedPng_FalseWithError()
    {
        // Arrange
        var png = TestImages.Encode(TestImages.Solid(64, 64, SKColors.Coral), SKEncodedImageFormat.Png);
        var tensor = new byte[3 * 64 * 64];

        // Act
        var ok = ImageDecoder.TryDecode(png.AsSpan(0, png.Length / 2), 3, 64, 64, channelsFirst: true, tensor, out var error);

        // Assert
        Assert.False(ok);
        Assert.NotNull(error);
    }

    [Fact]
    public void TryDecode_RandomBytes_NeverThrows()
    {
        // Arrange: a fixed seed keeps the inputs the same on every run.
        var random = new Random(20240601);
        var png = TestImages.Encode(Pixels, SKEncodedImageFormat.Png);
        var jpeg = TestImages.Encode(TestImages.Solid(16, 16, SKColors.Teal), SKEncodedImageFormat.Jpeg);
        var tensor = new byte[3 * 2 * 4];

        // Act + Assert: corrupted real headers reach deeper into the decoders than noise does.
        for (var i = 0; i < 300; i++)
        {
            var data = (i % 3 == 0 ? png : i % 3 == 1 ? jpeg : new byte[random.Next(1, 200)]).ToArray();
            for (var k = 0; k < 1 + (i % 8); k++)
            {
                data[random.Next(data.Length)] = (byte)random.Next(256);
            }

            var ok = ImageDecoder.TryDecode(data, 3, 2, 4, channelsFirst: i % 2 == 0, tensor, out var error);
            Assert.True(ok || error is not null);
        }
    }

    [Fact]
    public void TryDecode_HeaderOver100Megapixels_RefusedBeforeDecoding()
    {
        // Arrange: a BMP header claiming 20000×10000 with no pixels behind it.
        var bmp = TestImages.Bmp(20_000, 10_000, pixels: null);
        var tensor = new float[3 * 2 * 2];

        // Act
        var ok = ImageDecoder.TryDecode(bmp, 3, 2, 2, channelsFirst: true, tensor, out var error);

        // Assert
        Assert.False(ok);
        Assert.Contains("20000×10000", error);
        Assert.Contains("100 megapixels", error);
    }

    [Theory]
    [InlineData(3, 2, 4, 23)]
    [InlineData(2, 2, 4, 16)]
    [InlineData(3, 0, 4, 0)]
    public void TryDecode_BadShape_ThrowsArgumentException(int channels, int height, int width, int length)
    {
        var png = TestImages.Encode(Pixels, SKEncodedImageFormat.Png);
        Assert.ThrowsAny<ArgumentException>(() => ImageDecoder.TryDecode(png, channels, height, width, true, new float[length], out _));
    }

    private static void AssertClose(IEnumerable<float> expected, float[] actual, float tolerance)
    {
        var want = expected.ToArray();
        Assert.Equal(want.Length, actual.Length);
        for (var i = 0; i < want.Length; i++)
        {
            Assert.True(Math.Abs(want[i] - actual[i]) <= tolerance + 1e-6f, $"value {i}: expected {want[i]}, got {actual[i]}");
        }
    }
}

using System.Buffers;
using SkiaSharp;

namespace Inferd.Batch.Conversion;

/// <summary>
/// Decodes an encoded image (PNG, JPEG, BMP, GIF, WebP; the first frame of an animation) into a model's input tensor.
/// </summary>
/// <remarks>
/// <para>
/// The image is resized to exactly width × height with Mitchell cubic sampling: a plain stretch, not an
/// aspect-preserving resize and crop, so a model that was trained on center crops should be fed images already cropped.
/// EXIF orientation is not applied (as PIL and torchvision do by default), and alpha is dropped without blending.
/// </para>
/// <para>
/// Three channels are R, G, B; one channel is luminance 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, PIL's "L").
/// <c>channelsFirst</c> writes planes (NCHW: all R, then all G, then all B), otherwise pixels (NHWC: R G B per
/// pixel). Bytes are 0–255; floats are byte / 255.
/// </para>
/// </remarks>
internal static class ImageDecoder
{
    /// <summary>Images over this many pixels are refused before decoding: 100 megapixels is 400 MB of RGBA.</summary>
    public const long MaxPixels = 100_000_000;

    private const string NotAnImage = "not a decodable image (PNG, JPEG, BMP, GIF or WebP)";

    private static readonly SKSamplingOptions Sampling = new(SKCubicResampler.Mitchell);

    /// <summary>Decodes <paramref name="data"/> into floats in [0, 1].</summary>
    /// <returns>False, with <paramref name="error"/> set, when the data is not an image that can be decoded.</returns>
    /// <exception cref="ArgumentException">The destination's length is not channels × height × width, or a size is not positive.</exception>
    public static bool TryDecode(ReadOnlySpan<byte> data, int channels, int height, int width, bool channelsFirst, Span<float> destination, out string? error)
    {
        var length = CheckShape(channels, height, width, destination.Length);
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!TryDecode(data, channels, height, width, channelsFirst, bytes.AsSpan(0, length), out error))
            {
                return false;
            }

            for (var i = 0; i < length; i++)
            {
                destination[i] = bytes[i] / 255f;
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Decodes <paramref name="data"/> into bytes 0–255 (for UINT8 model inputs).</summary>
    /// <returns>False, with <paramref name="error"/> set, when the data is not an image that can be decoded.</returns>
    /// <exception cref="ArgumentException">The destination's length is not channels × height × width, or a size is not positive.</exception>
    public static bool TryDecode(ReadOnlySpan<byte> data, int channels, int height, int width, bool channelsFirst, Span<byte> destination, out string? error)
    {
        CheckShape(channels, height, width, destination.Length);
        if (data.IsEmpty)
        {
            error = NotAnImage + ": the data is empty";
            return false;
        }

        // SKCodec reads from an SKData; copying the encoded bytes once keeps this free of unsafe pinning.
        using var encoded = SKData.CreateCopy(data);
        using var codec = SKCodec.Create(encoded);
        if (codec is null)
        {
            error = NotAnImage;
            return false;
        }

        var size = codec.Info;
        if (size.Width <= 0 || size.Height <= 0)
        {
            error = NotAnImage + ": the header gives no size";
            return false;
        }

        if ((long)size.Width * size.Height > MaxPixels)
        {
            error = $"the image is {size.Width}×{size.Height}, over the limit of {MaxPixels / 1_000_000} megapixels";
            return false;
        }

        using var decoded = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            error = result == SKCodecResult.IncompleteInput
                ? "the image data is truncated"
                : $"the image cannot be decoded ({result})";
            return false;
        }

        if (size.Width == width && size.Height == height)
        {
            Store(decoded, channels, channelsFirst, destination);
        }
        else
        {
            using var resized = decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul), Sampling);
            if (resized is null)
            {
                error = $"the image cannot be resized from {size.Width}×{size.Height} to {width}×{height}";
                return false;
            }

            Store(resized, channels, channelsFirst, destination);
        }

        error = null;
        return true;
    }

    private static int CheckShape(int channels, int height, int width, int destinationLength)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentException($"an image has 1 (grayscale) or 3 (RGB) channels, not {channels}", nameof(channels));
        }

        if (height <= 0 || width <= 0)
        {
            throw new ArgumentException($"the image size {width}×{height} is not positive", height <= 0 ? nameof(height) : nameof(width));
        }

        var length = (long)channels * height * width;
        if (length != destinationLength)
        {
            throw new ArgumentException($"the destination holds {destinationLength} values; {channels}×{height}×{width} needs {length}", "destination");
        }

        return (int)length;
    }

    private static void Store(SKBitmap bitmap, int channels, bool channelsFirst, Span<byte> destination)
    {
        var width = bitmap.Width;
        var height = bitmap.Height;
        var plane = width * height;
        var rowBytes = bitmap.RowBytes;
        ReadOnlySpan<byte> pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * rowBytes, width * 4);
            for (var x = 0; x < width; x++)
            {
                var r = row[x * 4];
                var g = row[(x * 4) + 1];
                var b = row[(x * 4) + 2];
                var pixel = (y * width) + x;
                if (channels == 1)
                {
                    // Rounded fixed-point BT.601 luminance; the weights sum to 1000, so white stays 255.
                    destination[pixel] = (byte)(((299 * r) + (587 * g) + (114 * b) + 500) / 1000);
                }
                else if (channelsFirst)
                {
                    destination[pixel] = r;
                    destination[plane + pixel] = g;
                    destination[(2 * plane) + pixel] = b;
                }
                else
                {
                    destination[pixel * 3] = r;
                    destination[(pixel * 3) + 1] = g;
                    destination[(pixel * 3) + 2] = b;
                }
            }
        }
    }
}

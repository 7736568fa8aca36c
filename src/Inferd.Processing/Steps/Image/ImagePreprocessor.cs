using Inferd.Abstractions.Inference;
using SkiaSharp;

namespace Inferd.Processing.Steps.Image;

/// <summary>
/// Decodes one encoded image (JPEG, PNG, WebP, GIF's first frame, BMP) and writes it into a model input: resize per
/// <see cref="ImageOptions.Resize"/>, channel order, layout and normalization. The <c>image</c> step, its tests and the
/// zoo's held-out evaluations all call this, so what a model was measured with is what the server runs.
/// </summary>
/// <remarks>
/// Resampling is bilinear (<see cref="SKFilterMode.Linear"/>, no mipmaps): the same filter as OpenCV's default
/// <c>INTER_LINEAR</c>, which PaddleOCR's preprocessing uses, and cheap enough per request. It does not low-pass
/// before a large downscale, so very large images alias slightly; models trained with antialiased resizes (PIL) see
/// small differences. EXIF orientation is not applied and alpha is dropped without blending.
/// </remarks>
internal static class ImagePreprocessor
{
    /// <summary>Images over this many pixels are refused from the header, before decoding (50 MP is 200 MB of RGBA).</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>Encoded elements over this size are refused before any parsing.</summary>
    public const int MaxEncodedBytes = 32 * 1024 * 1024;

    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.None);

    /// <summary>Fills <paramref name="destination"/> (3 × height × width floats) from an encoded image.</summary>
    /// <exception cref="InferenceException">InvalidInput naming <paramref name="field"/> and <paramref name="row"/> for data that is not a usable image.</exception>
    public static void Fill(ReadOnlySpan<byte> encoded, ImageOptions options, Span<float> destination, string field, int row)
    {
        CheckLength(options, destination.Length);
        using var placed = Place(encoded, options, field, row);
        // One lookup table per output channel: 768 values computed exactly as ((p * scale) - mean) / std.
        var mean = options.Mean ?? [0, 0, 0];
        var std = options.Std ?? [1, 1, 1];
        Span<float> table = stackalloc float[3 * 256];
        for (var c = 0; c < 3; c++)
        {
            for (var p = 0; p < 256; p++)
            {
                table[(c * 256) + p] = (float)(((p * options.Scale) - mean[c]) / std[c]);
            }
        }

        Store(placed, options, destination, [], table, (float)options.PadValue);
    }

    /// <summary>Fills <paramref name="destination"/> (3 × height × width bytes, raw 0–255) from an encoded image.</summary>
    /// <exception cref="InferenceException">InvalidInput naming <paramref name="field"/> and <paramref name="row"/> for data that is not a usable image.</exception>
    public static void Fill(ReadOnlySpan<byte> encoded, ImageOptions options, Span<byte> destination, string field, int row)
    {
        CheckLength(options, destination.Length);
        using var placed = Place(encoded, options, field, row);
        Store(placed, options, [], destination, [], (float)Math.Clamp(Math.Round(options.PadValue), 0, 255));
    }

    private static void CheckLength(ImageOptions options, int length)
    {
        if (length != options.Length)
        {
            throw new ArgumentException($"the destination holds {length} values; 3×{options.Height}×{options.Width} needs {options.Length}", "destination");
        }
    }

    /// <summary>Decodes and resizes; the result's pixels at (OffsetX, OffsetY) go to the output's top-left corner.</summary>
    private static Placed Place(ReadOnlySpan<byte> encoded, ImageOptions options, string field, int row)
    {
        var where = $"field '{field}' row {row}";
        if (encoded.IsEmpty)
        {
            throw InferenceException.Invalid($"{where}: the image is empty");
        }

        if (encoded.Length > MaxEncodedBytes)
        {
            throw InferenceException.Invalid($"{where}: the encoded image is {encoded.Length} bytes, over the limit of {MaxEncodedBytes / (1024 * 1024)} MiB");
        }

        // SKCodec reads from an SKData; copying the encoded bytes once keeps this free of unsafe pinning.
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw InferenceException.Invalid($"{where}: not a decodable image (JPEG, PNG, WebP, GIF or BMP)");
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if (w <= 0 || h <= 0)
        {
            throw InferenceException.Invalid($"{where}: the image header gives no size");
        }

        // The header is read before any pixel memory is allocated: a small file may claim a huge canvas.
        if ((long)w * h > MaxPixels)
        {
            throw InferenceException.Invalid($"{where}: the image is {w}×{h}, over the limit of {MaxPixels / 1_000_000} megapixels");
        }

        using var decoded = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw InferenceException.Invalid(result == SKCodecResult.IncompleteInput
                ? $"{where}: the image data is truncated"
                : $"{where}: the image cannot be decoded ({result})");
        }

        var (W, H) = (options.Width, options.Height);
        var (tw, th, ox, oy) = options.Resize switch
        {
            ImageResize.CenterCrop => Cover(w, h, W, H),
            ImageResize.FitPad => Fit(w, h, W, H),
            ImageResize.HeightPad => (Math.Clamp((int)Math.Ceiling((H * (double)w / h) - 1e-9), 1, W), H, 0, 0),
            _ => (W, H, 0, 0),
        };
        var resized = tw == w && th == h
            ? decoded.Copy()
            : decoded.Resize(new SKImageInfo(tw, th, SKColorType.Rgba8888, SKAlphaType.Unpremul), Sampling);
        return new Placed(resized ?? throw InferenceException.Invalid($"{where}: the image cannot be resized from {w}×{h} to {tw}×{th}"), ox, oy);
    }

    /// <summary>Scale to cover W×H keeping the aspect ratio; crop offsets center the output.</summary>
    private static (int Width, int Height, int OffsetX, int OffsetY) Cover(int w, int h, int width, int height)
    {
        var scale = Math.Max((double)width / w, (double)height / h);
        var sw = Math.Max(width, (int)Math.Round(w * scale));
        var sh = Math.Max(height, (int)Math.Round(h * scale));
        return (sw, sh, (sw - width) / 2, (sh - height) / 2);
    }

    /// <summary>
    /// Scale to fit inside W×H keeping the aspect ratio. Sizes round up (PaddleOCR: <c>ceil(H · w / h)</c>), clamped to
    /// the output, so a text line keeps its full height.
    /// </summary>
    private static (int Width, int Height, int OffsetX, int OffsetY) Fit(int w, int h, int width, int height)
    {
        var scale = Math.Min((double)width / w, (double)height / h);
        var fw = Math.Clamp((int)Math.Ceiling((w * scale) - 1e-9), 1, width);
        var fh = Math.Clamp((int)Math.Ceiling((h * scale) - 1e-9), 1, height);
        return (fw, fh, 0, 0);
    }

    private static void Store(Placed placed, ImageOptions options, Span<float> floats, Span<byte> bytes, ReadOnlySpan<float> table, float pad)
    {
        var bitmap = placed.Bitmap;
        var (width, height) = (options.Width, options.Height);
        var plane = width * height;
        var rowBytes = bitmap.RowBytes;
        ReadOnlySpan<byte> pixels = bitmap.GetPixelSpan();
        var covered = Math.Min(width, bitmap.Width - placed.OffsetX);
        var coveredRows = Math.Min(height, bitmap.Height - placed.OffsetY);
        for (var y = 0; y < height; y++)
        {
            var line = y < coveredRows ? pixels.Slice(((y + placed.OffsetY) * rowBytes) + (placed.OffsetX * 4)) : default;
            for (var x = 0; x < width; x++)
            {
                var inside = y < coveredRows && x < covered;
                var pixel = (y * width) + x;
                for (var c = 0; c < 3; c++)
                {
                    // Output channel c reads R, G, B (rgb) or B, G, R (bgr) from the RGBA pixel.
                    var source = options.Bgr ? 2 - c : c;
                    var index = options.ChannelsLast ? (pixel * 3) + c : (c * plane) + pixel;
                    if (floats.IsEmpty)
                    {
                        bytes[index] = inside ? line[(x * 4) + source] : (byte)pad;
                    }
                    else
                    {
                        floats[index] = inside ? table[(c * 256) + line[(x * 4) + source]] : pad;
                    }
                }
            }
        }
    }

    /// <summary>A resized bitmap and where the output window starts in it.</summary>
    private readonly record struct Placed(SKBitmap Bitmap, int OffsetX, int OffsetY) : IDisposable
    {
        public void Dispose() => Bitmap.Dispose();
    }
}

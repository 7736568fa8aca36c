using Inferd.Abstractions.Inference;
using SkiaSharp;

namespace Inferd.Explain.Images;

/// <summary>A picture sent as an encoded image (a BYTES element); masked copies are re-encoded as PNG, which loses nothing.</summary>
internal sealed class EncodedPicture : Picture
{
    /// <summary>Largest picture decoded: the image step's limit, 50 megapixels.</summary>
    public const long MaxPixels = 50_000_000;

    private readonly byte[] _rgba;
    private readonly byte[] _mean;

    private EncodedPicture(int width, int height, byte[] rgba)
        : base(width, height, ToRgb(rgba))
    {
        _rgba = rgba;
        _mean = new byte[3];
        for (var c = 0; c < 3; c++)
        {
            var sum = 0L;
            for (var p = 0; p < width * height; p++)
            {
                sum += rgba[(4 * p) + c];
            }

            _mean[c] = (byte)Math.Round((double)sum / (width * height));
        }
    }

    /// <summary>Decodes <paramref name="encoded"/>; null when it is not an image.</summary>
    /// <exception cref="InferenceException">InvalidInput when the image is over <see cref="MaxPixels"/> or cannot be decoded.</exception>
    public static EncodedPicture? TryDecode(string input, ReadOnlySpan<byte> encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return null;
        }

        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if (w <= 0 || h <= 0 || (long)w * h > MaxPixels)
        {
            throw InferenceException.Invalid($"lime_image: the picture in input '{input}' is {w}×{h}; image LIME takes 1 to {MaxPixels / 1_000_000} megapixels");
        }

        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw InferenceException.Invalid($"lime_image: the picture in input '{input}' cannot be decoded ({result})");
        }

        return new EncodedPicture(w, h, bitmap.GetPixelSpan().ToArray());
    }

    /// <inheritdoc/>
    public override byte[] Masked(int[] labels, bool[] on)
    {
        var rgba = (byte[])_rgba.Clone();
        for (var p = 0; p < labels.Length; p++)
        {
            if (!on[labels[p]])
            {
                rgba[4 * p] = _mean[0];
                rgba[(4 * p) + 1] = _mean[1];
                rgba[(4 * p) + 2] = _mean[2];
            }
        }

        return Lime.LimeText.Cell(Png.Encode(Width, Height, rgba));
    }

    private static float[] ToRgb(byte[] rgba)
    {
        var rgb = new float[rgba.Length / 4 * 3];
        for (var p = 0; p < rgba.Length / 4; p++)
        {
            rgb[3 * p] = rgba[4 * p] / 255f;
            rgb[(3 * p) + 1] = rgba[(4 * p) + 1] / 255f;
            rgb[(3 * p) + 2] = rgba[(4 * p) + 2] / 255f;
        }

        return rgb;
    }
}

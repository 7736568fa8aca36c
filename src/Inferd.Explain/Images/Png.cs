using SkiaSharp;

namespace Inferd.Explain.Images;

/// <summary>Encodes RGBA pixels as PNG.</summary>
internal static class Png
{
    /// <summary>The PNG of <paramref name="width"/> × <paramref name="height"/> unpremultiplied RGBA bytes, row-major.</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgba)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        rgba.CopyTo(bitmap.GetPixelSpan());
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}

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
        // zlib level 1: masked copies are decoded once and thrown away, so encoding speed matters more than size.
        using var pixmap = bitmap.PeekPixels() ?? throw new InvalidOperationException("the bitmap has no pixels");
        using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 1)) ?? throw new InvalidOperationException("PNG encoding failed");
        return data.ToArray();
    }
}

using System.Buffers.Binary;
using SkiaSharp;

namespace Inferd.Batch.Tests.Formats;

/// <summary>Small images with known pixels, encoded in the test so no binary fixtures are needed.</summary>
internal static class TestImages
{
    /// <summary>A 4×2 image: red, green, blue, white over black, two mixed colours and mid grey.</summary>
    public static readonly SKColor[,] FourByTwo =
    {
        { new(255, 0, 0), new(0, 255, 0), new(0, 0, 255), new(255, 255, 255) },
        { new(0, 0, 0), new(10, 20, 30), new(200, 100, 50), new(128, 128, 128) },
    };

    /// <summary>The pixels encoded by Skia as <paramref name="format"/>.</summary>
    public static byte[] Encode(SKColor[,] pixels, SKEncodedImageFormat format, int quality = 100)
    {
        using var bitmap = ToBitmap(pixels);
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>The pixels as lossless WebP.</summary>
    public static byte[] EncodeLosslessWebp(SKColor[,] pixels)
    {
        using var bitmap = ToBitmap(pixels);
        using var pixmap = bitmap.PeekPixels()!;
        using var data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))!;
        return data.ToArray();
    }

    /// <summary>A 24-bit BMP written by hand (Skia has no BMP encoder); bottom-up rows, BGR, padded to 4 bytes.</summary>
    public static byte[] Bmp(SKColor[,] pixels) => Bmp(pixels.GetLength(1), pixels.GetLength(0), pixels);

    /// <summary>A BMP header claiming <paramref name="width"/>×<paramref name="height"/>, with pixels only if given.</summary>
    public static byte[] Bmp(int width, int height, SKColor[,]? pixels)
    {
        var stride = ((width * 3) + 3) & ~3;
        var pixelBytes = pixels is null ? 0 : stride * height;
        var bmp = new byte[54 + pixelBytes];
        "BM"u8.CopyTo(bmp);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), stride * height);
        if (pixels is not null)
        {
            for (var y = 0; y < height; y++)
            {
                var row = 54 + ((height - 1 - y) * stride);
                for (var x = 0; x < width; x++)
                {
                    var c = pixels[y, x];
                    bmp[row + (x * 3)] = c.Blue;
                    bmp[row + (x * 3) + 1] = c.Green;
                    bmp[row + (x * 3) + 2] = c.Red;
                }
            }
        }

        return bmp;
    }

    /// <summary>A solid image of one colour.</summary>
    public static SKColor[,] Solid(int width, int height, SKColor color)
    {
        var pixels = new SKColor[height, width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                pixels[y, x] = color;
            }
        }

        return pixels;
    }

    /// <summary>The expected planar (NCHW) RGB bytes of <paramref name="pixels"/>.</summary>
    public static byte[] Planar(SKColor[,] pixels)
    {
        var height = pixels.GetLength(0);
        var width = pixels.GetLength(1);
        var plane = width * height;
        var values = new byte[3 * plane];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var c = pixels[y, x];
                values[(y * width) + x] = c.Red;
                values[plane + (y * width) + x] = c.Green;
                values[(2 * plane) + (y * width) + x] = c.Blue;
            }
        }

        return values;
    }

    /// <summary>The expected interleaved (NHWC) RGB bytes of <paramref name="pixels"/>.</summary>
    public static byte[] Interleaved(SKColor[,] pixels)
    {
        var values = new List<byte>();
        for (var y = 0; y < pixels.GetLength(0); y++)
        {
            for (var x = 0; x < pixels.GetLength(1); x++)
            {
                values.AddRange([pixels[y, x].Red, pixels[y, x].Green, pixels[y, x].Blue]);
            }
        }

        return [.. values];
    }

    private static SKBitmap ToBitmap(SKColor[,] pixels)
    {
        var bitmap = new SKBitmap(new SKImageInfo(pixels.GetLength(1), pixels.GetLength(0), SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < pixels.GetLength(0); y++)
        {
            for (var x = 0; x < pixels.GetLength(1); x++)
            {
                bitmap.SetPixel(x, y, pixels[y, x]);
            }
        }

        return bitmap;
    }
}

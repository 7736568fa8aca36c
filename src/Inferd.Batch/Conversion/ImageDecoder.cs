namespace Inferd.Batch.Conversion;

// Placeholder replaced by the formats branch (SkiaSharp decoder); kept only so the runner builds until it merges.
internal static class ImageDecoder
{
    public static bool TryDecode(ReadOnlySpan<byte> data, int channels, int height, int width, bool channelsFirst, Span<float> destination, out string? error)
    {
        error = "image decoding is not built yet";
        return false;
    }

    public static bool TryDecode(ReadOnlySpan<byte> data, int channels, int height, int width, bool channelsFirst, Span<byte> destination, out string? error)
    {
        error = "image decoding is not built yet";
        return false;
    }
}

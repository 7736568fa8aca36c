namespace Inferd.Explain.Images;

/// <summary>
/// The PNG heat map of image LIME: the picture dimmed to half brightness, each superpixel tinted red where its weight
/// is positive (it raised the explained number) and blue where negative, with opacity up to 0.8 in proportion to
/// |weight| / max |weight|, so the strongest segment stands out and segments near 0 leave the picture visible.
/// </summary>
internal static class Heatmap
{
    /// <summary>Opacity of the strongest segment's tint.</summary>
    public const double MaxAlpha = 0.8;

    /// <summary>Brightness the picture keeps underneath.</summary>
    public const double Dim = 0.5;

    private static readonly byte[] Positive = [0xe0, 0x1f, 0x2b];
    private static readonly byte[] Negative = [0x1f, 0x6f, 0xe0];

    /// <summary>Renders the heat map at the picture's size.</summary>
    /// <param name="picture">The explained picture.</param>
    /// <param name="segments">Its superpixels.</param>
    /// <param name="weights">One weight per superpixel.</param>
    public static byte[] Render(Picture picture, Segmentation segments, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(weights);
        var largest = weights.Select(Math.Abs).DefaultIfEmpty().Max();
        var rgba = new byte[picture.Width * picture.Height * 4];
        for (var p = 0; p < segments.Labels.Length; p++)
        {
            var weight = weights[segments.Labels[p]];
            var alpha = largest > 0 ? MaxAlpha * Math.Abs(weight) / largest : 0;
            var tint = weight >= 0 ? Positive : Negative;
            for (var c = 0; c < 3; c++)
            {
                var under = picture.Rgb[(3 * p) + c] * 255 * Dim;
                rgba[(4 * p) + c] = (byte)Math.Clamp(Math.Round((under * (1 - alpha)) + (tint[c] * alpha)), 0, 255);
            }

            rgba[(4 * p) + 3] = 255;
        }

        return Png.Encode(picture.Width, picture.Height, rgba);
    }
}

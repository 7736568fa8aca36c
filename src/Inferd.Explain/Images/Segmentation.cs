using System.Globalization;

namespace Inferd.Explain.Images;

/// <summary>Superpixels of a picture: each pixel's segment (0 .. Count − 1, numbered in scan order of their first pixel).</summary>
/// <param name="Labels">Segment of each pixel, row-major.</param>
/// <param name="Count">Number of segments.</param>
/// <param name="Width">Picture width.</param>
/// <param name="Height">Picture height.</param>
internal sealed record Segmentation(int[] Labels, int Count, int Width, int Height)
{
    /// <summary>Each segment's bounding box as <c>x,y,w,h</c> in pixels.</summary>
    public string[] BoundingBoxes()
    {
        var left = Enumerable.Repeat(int.MaxValue, Count).ToArray();
        var top = Enumerable.Repeat(int.MaxValue, Count).ToArray();
        var right = new int[Count];
        var bottom = new int[Count];
        for (var p = 0; p < Labels.Length; p++)
        {
            var (x, y, s) = (p % Width, p / Width, Labels[p]);
            left[s] = Math.Min(left[s], x);
            top[s] = Math.Min(top[s], y);
            right[s] = Math.Max(right[s], x);
            bottom[s] = Math.Max(bottom[s], y);
        }

        return Enumerable.Range(0, Count)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{left[s]},{top[s]},{right[s] - left[s] + 1},{bottom[s] - top[s] + 1}"))
            .ToArray();
    }
}

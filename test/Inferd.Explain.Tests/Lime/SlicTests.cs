using Inferd.Explain.Images;

namespace Inferd.Explain.Tests.Lime;

public sealed class SlicTests
{
    [Fact]
    public void Segment_TiledPicture_FollowsTheTileEdges()
    {
        // Arrange: 4 × 4 tiles of 16 px, every tile a different colour.
        var rgb = Picture(64, 64, (x, y) => ((x / 16 * 0.3f) % 1, (y / 16 * 0.25f) % 1, ((x / 16) + (y / 16)) % 2 * 0.8f));

        // Act
        var segmentation = Slic.Segment(rgb, 64, 64, 16);

        // Assert: 16 segments, each exactly one tile.
        Assert.Equal(16, segmentation.Count);
        for (var p = 0; p < 64 * 64; p++)
        {
            var (x, y) = (p % 64, p / 64);
            Assert.Equal(segmentation.Labels[((y / 16 * 16) * 64) + (x / 16 * 16)], segmentation.Labels[p]);
        }

        Assert.Equal("16,0,16,16", segmentation.BoundingBoxes()[1]);
    }

    [Fact]
    public void Segment_LargePicture_SegmentsADownscaledCopyAndLabelsEveryPixelAtFullSize()
    {
        // Arrange: 900 × 600 = 540,000 pixels, over the 65,536 segmented at most; a smooth gradient.
        var rgb = Picture(900, 600, (x, y) => (x / 900f, y / 600f, 0.5f));

        // Act
        var segmentation = Slic.Segment(rgb, 900, 600, 50);

        // Assert
        Assert.Equal(900 * 600, segmentation.Labels.Length);
        Assert.InRange(segmentation.Count, 30, 80);
        Assert.Equal(Enumerable.Range(0, segmentation.Count), segmentation.Labels.Distinct().Order());
    }

    [Fact]
    public void Segment_UniformPicture_GivesAboutTheRequestedNumberOfConnectedSegments()
    {
        var rgb = Picture(100, 80, (_, _) => (0.2f, 0.4f, 0.6f));

        var segmentation = Slic.Segment(rgb, 100, 80, 20);

        Assert.InRange(segmentation.Count, 15, 25);
        Assert.All(Enumerable.Range(0, segmentation.Count), s => Assert.True(IsConnected(segmentation, s), $"segment {s} is in pieces"));
    }

    private static float[] Picture(int width, int height, Func<int, int, (float R, float G, float B)> colour)
    {
        var rgb = new float[width * height * 3];
        for (var p = 0; p < width * height; p++)
        {
            (rgb[3 * p], rgb[(3 * p) + 1], rgb[(3 * p) + 2]) = colour(p % width, p / width);
        }

        return rgb;
    }

    private static bool IsConnected(Segmentation s, int segment)
    {
        var pixels = Enumerable.Range(0, s.Labels.Length).Where(p => s.Labels[p] == segment).ToHashSet();
        var seen = new HashSet<int> { pixels.First() };
        var queue = new Queue<int>(seen);
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            foreach (var q in new[] { p % s.Width > 0 ? p - 1 : -1, p % s.Width < s.Width - 1 ? p + 1 : -1, p - s.Width, p + s.Width })
            {
                if (q >= 0 && pixels.Contains(q) && seen.Add(q))
                {
                    queue.Enqueue(q);
                }
            }
        }

        return seen.Count == pixels.Count;
    }
}

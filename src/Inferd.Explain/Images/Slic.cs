namespace Inferd.Explain.Images;

/// <summary>
/// SLIC superpixels (Achanta et al., 2012): k-means on CIELAB colour plus position, each centre searching only a
/// 2S × 2S window around itself (S = √(pixels / segments)), then connectivity enforced so every segment is one piece.
/// Pictures over <see cref="MaxPixels"/> are segmented on a box-averaged copy and the labels scaled back up.
/// </summary>
internal static class Slic
{
    /// <summary>Pixels segmented at most: 256 × 256 keeps segmentation to a few tens of milliseconds on one core.</summary>
    public const int MaxPixels = 256 * 256;

    /// <summary>Weight of distance against colour (m in the paper): 10 is its suggested value for CIELAB.</summary>
    public const double Compactness = 10;

    /// <summary>k-means rounds; the paper finds 10 enough for nearly every image.</summary>
    public const int Iterations = 10;

    /// <summary>Segments <paramref name="rgb"/> (row-major RGB triples in 0..1) into about <paramref name="segments"/> superpixels.</summary>
    public static Segmentation Segment(float[] rgb, int width, int height, int segments)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        ArgumentOutOfRangeException.ThrowIfLessThan(segments, 1);
        var (small, sw, sh) = Downscale(rgb, width, height);
        var lab = ToLab(small);
        var clusters = Cluster(lab, sw, sh, segments);
        var (labels, count) = Connect(clusters, sw, sh, Math.Max(1, sw * sh / segments / 4));
        if (sw == width && sh == height)
        {
            return new Segmentation(labels, count, width, height);
        }

        var full = new int[width * height];
        for (var y = 0; y < height; y++)
        {
            var row = (int)((long)y * sh / height) * sw;
            for (var x = 0; x < width; x++)
            {
                full[(y * width) + x] = labels[row + (int)((long)x * sw / width)];
            }
        }

        // Scaling up nearest-neighbour keeps every segment that has a pixel in full size; renumber in case one vanished.
        return Renumber(full, width, height);
    }

    private static int[] Cluster(float[] lab, int width, int height, int segments)
    {
        var pixels = width * height;
        var k = Math.Clamp(segments, 1, pixels);
        var step = Math.Sqrt((double)pixels / k);
        var nx = Math.Max(1, (int)Math.Round(width / step));
        var ny = Math.Max(1, (int)Math.Round(height / step));
        var centres = new List<double[]>(nx * ny);
        for (var j = 0; j < ny; j++)
        {
            for (var i = 0; i < nx; i++)
            {
                var x = Math.Min(width - 1, (int)((i + 0.5) * width / nx));
                var y = Math.Min(height - 1, (int)((j + 0.5) * height / ny));
                var p = (y * width) + x;
                centres.Add([lab[3 * p], lab[(3 * p) + 1], lab[(3 * p) + 2], x, y]);
            }
        }

        var labels = new int[pixels];
        Array.Fill(labels, -1);
        var best = new double[pixels];
        var spatial = Compactness * Compactness / (step * step);
        var radius = (int)Math.Ceiling(step);
        for (var round = 0; round < Iterations; round++)
        {
            Array.Fill(best, double.MaxValue);
            for (var c = 0; c < centres.Count; c++)
            {
                var centre = centres[c];
                var (cx, cy) = ((int)Math.Round(centre[3]), (int)Math.Round(centre[4]));
                for (var y = Math.Max(0, cy - radius); y <= Math.Min(height - 1, cy + radius); y++)
                {
                    for (var x = Math.Max(0, cx - radius); x <= Math.Min(width - 1, cx + radius); x++)
                    {
                        var p = (y * width) + x;
                        var dl = lab[3 * p] - centre[0];
                        var da = lab[(3 * p) + 1] - centre[1];
                        var db = lab[(3 * p) + 2] - centre[2];
                        var dx = x - centre[3];
                        var dy = y - centre[4];
                        var d = (dl * dl) + (da * da) + (db * db) + (spatial * ((dx * dx) + (dy * dy)));
                        if (d < best[p])
                        {
                            best[p] = d;
                            labels[p] = c;
                        }
                    }
                }
            }

            var sums = new double[centres.Count, 6];
            for (var p = 0; p < pixels; p++)
            {
                if (labels[p] < 0)
                {
                    continue;
                }

                var c = labels[p];
                sums[c, 0] += lab[3 * p];
                sums[c, 1] += lab[(3 * p) + 1];
                sums[c, 2] += lab[(3 * p) + 2];
                sums[c, 3] += p % width;
                sums[c, 4] += p / width;
                sums[c, 5]++;
            }

            for (var c = 0; c < centres.Count; c++)
            {
                var n = sums[c, 5];
                if (n > 0)
                {
                    centres[c] = [sums[c, 0] / n, sums[c, 1] / n, sums[c, 2] / n, sums[c, 3] / n, sums[c, 4] / n];
                }
            }
        }

        return labels;
    }

    /// <summary>
    /// Makes every segment one 4-connected piece: pieces smaller than <paramref name="minSize"/> (and pixels no centre
    /// reached) join the segment just before them in scan order (left or above their first pixel).
    /// </summary>
    private static (int[] Labels, int Count) Connect(int[] clusters, int width, int height, int minSize)
    {
        var labels = new int[clusters.Length];
        Array.Fill(labels, -1);
        var count = 0;
        var piece = new List<int>();
        var queue = new Queue<int>();
        for (var start = 0; start < clusters.Length; start++)
        {
            if (labels[start] >= 0)
            {
                continue;
            }

            piece.Clear();
            queue.Enqueue(start);
            labels[start] = int.MaxValue; // Marked while its piece is collected.
            while (queue.Count > 0)
            {
                var p = queue.Dequeue();
                piece.Add(p);
                var (x, y) = (p % width, p / width);
                Visit(x > 0 ? p - 1 : -1);
                Visit(x < width - 1 ? p + 1 : -1);
                Visit(y > 0 ? p - width : -1);
                Visit(y < height - 1 ? p + width : -1);
            }

            var before = start % width > 0 ? labels[start - 1] : start >= width ? labels[start - width] : -1;
            var label = (piece.Count < minSize || clusters[start] < 0) && before >= 0 ? before : count++;
            foreach (var p in piece)
            {
                labels[p] = label;
            }

            void Visit(int q)
            {
                if (q >= 0 && labels[q] < 0 && clusters[q] == clusters[start])
                {
                    labels[q] = int.MaxValue;
                    queue.Enqueue(q);
                }
            }
        }

        return (labels, count);
    }

    private static Segmentation Renumber(int[] labels, int width, int height)
    {
        var map = new Dictionary<int, int>();
        for (var p = 0; p < labels.Length; p++)
        {
            if (!map.TryGetValue(labels[p], out var label))
            {
                label = map.Count;
                map[labels[p]] = label;
            }

            labels[p] = label;
        }

        return new Segmentation(labels, map.Count, width, height);
    }

    private static (float[] Rgb, int Width, int Height) Downscale(float[] rgb, int width, int height)
    {
        if ((long)width * height <= MaxPixels)
        {
            return (rgb, width, height);
        }

        var scale = Math.Sqrt((double)MaxPixels / ((long)width * height));
        var sw = Math.Max(1, (int)(width * scale));
        var sh = Math.Max(1, (int)(height * scale));
        var small = new float[sw * sh * 3];
        for (var sy = 0; sy < sh; sy++)
        {
            var (y0, y1) = ((int)((long)sy * height / sh), Math.Max((int)((long)(sy + 1) * height / sh), (int)((long)sy * height / sh) + 1));
            for (var sx = 0; sx < sw; sx++)
            {
                var (x0, x1) = ((int)((long)sx * width / sw), Math.Max((int)((long)(sx + 1) * width / sw), (int)((long)sx * width / sw) + 1));
                double r = 0, g = 0, b = 0;
                for (var y = y0; y < y1; y++)
                {
                    for (var x = x0; x < x1; x++)
                    {
                        var p = 3 * ((y * width) + x);
                        (r, g, b) = (r + rgb[p], g + rgb[p + 1], b + rgb[p + 2]);
                    }
                }

                var n = (y1 - y0) * (x1 - x0);
                var q = 3 * ((sy * sw) + sx);
                (small[q], small[q + 1], small[q + 2]) = ((float)(r / n), (float)(g / n), (float)(b / n));
            }
        }

        return (small, sw, sh);
    }

    // sRGB (D65) → linear → XYZ → CIELAB, L in 0..100.
    private static float[] ToLab(float[] rgb)
    {
        var lab = new float[rgb.Length];
        for (var p = 0; p < rgb.Length; p += 3)
        {
            var r = Linear(rgb[p]);
            var g = Linear(rgb[p + 1]);
            var b = Linear(rgb[p + 2]);
            var x = F(((0.4124 * r) + (0.3576 * g) + (0.1805 * b)) / 0.95047);
            var y = F((0.2126 * r) + (0.7152 * g) + (0.0722 * b));
            var z = F(((0.0193 * r) + (0.1192 * g) + (0.9505 * b)) / 1.08883);
            lab[p] = (float)((116 * y) - 16);
            lab[p + 1] = (float)(500 * (x - y));
            lab[p + 2] = (float)(200 * (y - z));
        }

        return lab;

        static double Linear(float c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;
    }
}

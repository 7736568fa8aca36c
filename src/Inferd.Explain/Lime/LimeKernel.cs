namespace Inferd.Explain.Lime;

/// <summary>
/// Sample weights of LIME: the exponential kernel sqrt(exp(−d² / width²)) of a sample's distance d from the explained
/// row, and the distances the three variants use.
/// </summary>
internal static class LimeKernel
{
    /// <summary>Text: cosine distances are scaled by 100 and the width is 25 (LIME's text defaults), so a sample that keeps
    /// half of the words (cosine distance 0.29, d = 29) weighs 0.26 and one that keeps a tenth (d = 68) weighs 0.025.</summary>
    public const double TextDistanceScale = 100;

    /// <summary>Text kernel width, on the scaled distance.</summary>
    public const double TextWidth = 25;

    /// <summary>Image: width 0.25 on the plain cosine distance (LIME's image default): half of the superpixels on weighs 0.45.</summary>
    public const double ImageWidth = 0.25;

    /// <summary>Tabular kernel width for <paramref name="features"/> standardized features: 0.75·√M, as LIME.</summary>
    public static double TabularWidth(int features) => 0.75 * Math.Sqrt(features);

    /// <summary>The kernel value of distance <paramref name="distance"/>.</summary>
    public static double Weight(double distance, double width) => Math.Sqrt(Math.Exp(-(distance * distance) / (width * width)));

    /// <summary>Cosine distance between a 0/1 mask with <paramref name="kept"/> ones of <paramref name="total"/> and the all-ones mask: 1 − √(k/M).</summary>
    public static double CosineToAllOnes(int kept, int total) => kept == 0 ? 1 : 1 - Math.Sqrt((double)kept / total);

    /// <summary>
    /// A random 0/1 mask over <paramref name="count"/> features with between 1 and count − 1 of them off (uniform in
    /// that count, then a uniform subset), as LIME perturbs words and superpixels; a single feature is turned off.
    /// </summary>
    public static bool[] RandomMask(Random random, int count)
    {
        var mask = new bool[count];
        Array.Fill(mask, true);
        var off = count <= 1 ? count : random.Next(1, count);
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        for (var i = 0; i < off; i++)
        {
            mask[order[i]] = false;
        }

        return mask;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random random)
    {
        var u = 1.0 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }
}

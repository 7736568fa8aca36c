namespace Inferd.Explain.Shap;

/// <summary>
/// Coalitions drawn for sampled Kernel SHAP: sizes from the Shapley kernel distribution, p(s) ∝ (M−1) / (s(M−s)) for
/// s = 1 … M−1 (the kernel weight of one coalition times the C(M, s) coalitions of that size), a uniform subset of
/// that size, and its complement beside it (antithetic pairs; p(s) = p(M−s), so the pair keeps the distribution).
/// Drawn this way every coalition counts once in an unweighted regression. Identical coalitions are evaluated once
/// and counted as often as drawn.
/// </summary>
internal sealed class CoalitionSample
{
    private CoalitionSample(int features, List<UInt128> distinct, (int S, int Complement)[] pairs)
    {
        Features = features;
        Distinct = distinct;
        Pairs = pairs;
    }

    /// <summary>M.</summary>
    public int Features { get; }

    /// <summary>The distinct coalitions drawn, as bit masks (bit i set: feature i from the explained row).</summary>
    public IReadOnlyList<UInt128> Distinct { get; }

    /// <summary>The drawn pairs, as indexes into <see cref="Distinct"/>.</summary>
    public IReadOnlyList<(int S, int Complement)> Pairs { get; }

    /// <summary>Coalitions drawn, duplicates included (twice the pairs).</summary>
    public int Drawn => Pairs.Count * 2;

    /// <summary>Draws <paramref name="pairs"/> antithetic pairs of coalitions of <paramref name="features"/> (2 to 128) players.</summary>
    public static CoalitionSample Draw(int features, int pairs, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(features, 128);
        var m = features;
        var cumulative = new double[m - 1];
        var total = 0.0;
        for (var s = 1; s < m; s++)
        {
            total += 1.0 / (s * (double)(m - s));
            cumulative[s - 1] = total;
        }

        var full = m == 128 ? UInt128.MaxValue : (UInt128.One << m) - 1;
        var order = Enumerable.Range(0, m).ToArray();
        var index = new Dictionary<UInt128, int>();
        var distinct = new List<UInt128>();
        var drawn = new (int, int)[pairs];
        for (var p = 0; p < pairs; p++)
        {
            var u = random.NextDouble() * total;
            var size = 1;
            while (size < m - 1 && cumulative[size - 1] < u)
            {
                size++;
            }

            // A partial Fisher–Yates shuffle: the first `size` entries are a uniform subset.
            var mask = UInt128.Zero;
            for (var k = 0; k < size; k++)
            {
                var j = random.Next(k, m);
                (order[k], order[j]) = (order[j], order[k]);
                mask |= UInt128.One << order[k];
            }

            drawn[p] = (Add(mask), Add(full ^ mask));
        }

        return new CoalitionSample(m, distinct, drawn);

        int Add(UInt128 mask)
        {
            if (!index.TryGetValue(mask, out var i))
            {
                i = distinct.Count;
                index.Add(mask, i);
                distinct.Add(mask);
            }

            return i;
        }
    }

    /// <summary>Whether feature <paramref name="feature"/> is in <paramref name="mask"/>.</summary>
    public static bool Contains(UInt128 mask, int feature) => ((mask >> feature) & UInt128.One) != UInt128.Zero;
}

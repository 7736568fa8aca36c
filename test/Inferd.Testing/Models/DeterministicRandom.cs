namespace Inferd.Testing.Models;

/// <summary>
/// SplitMix64: a tiny seeded generator whose sequence is fixed by this file, not by the runtime's
/// <see cref="Random"/> implementation, so generated model bytes never change between .NET versions.
/// </summary>
internal sealed class DeterministicRandom(int seed)
{
    private ulong _state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A float uniformly in [-scale, scale), with 24 bits of resolution.</summary>
    public float NextSymmetric(float scale) => ((NextUInt64() >> 40) / (float)(1 << 24) * 2f - 1f) * scale;

    /// <summary>An array of <paramref name="count"/> values from <see cref="NextSymmetric(float)"/>.</summary>
    public float[] NextSymmetric(int count, float scale)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = NextSymmetric(scale);
        }

        return values;
    }
}

using System.Text;

namespace Inferd.Processing.Steps.Text;

/// <summary>
/// FNV-1a, 32 bits (offset basis 2166136261, prime 16777619) over UTF-8 bytes: fixed and platform-independent, unlike
/// <see cref="string.GetHashCode()"/>, which is randomised per process. Feature buckets and data splits depend on it.
/// </summary>
internal static class Fnv1a
{
    /// <summary>The hash of no bytes.</summary>
    public const uint OffsetBasis = 2166136261;

    private const uint Prime = 16777619;

    /// <summary>Continues a hash with one byte.</summary>
    public static uint Append(uint hash, byte value) => unchecked((hash ^ value) * Prime);

    /// <summary>Continues a hash with the UTF-8 bytes of one UTF-16 code unit (lone surrogates as U+FFFD).</summary>
    public static uint Append(uint hash, char c)
    {
        Span<byte> utf8 = stackalloc byte[4];
        var rune = Rune.TryCreate(c, out var r) ? r : Rune.ReplacementChar;
        var length = rune.EncodeToUtf8(utf8);
        for (var i = 0; i < length; i++)
        {
            hash = Append(hash, utf8[i]);
        }

        return hash;
    }

    /// <summary>The hash of a string's UTF-8 bytes.</summary>
    public static uint Hash(ReadOnlySpan<char> text)
    {
        var hash = OffsetBasis;
        foreach (var c in text)
        {
            hash = Append(hash, c);
        }

        return hash;
    }
}

using System.Security.Cryptography;

namespace Inferd.Batch.Service;

/// <summary>
/// Job ids in the manner of a ULID: 10 characters of milliseconds since 1970, then 6 random ones, in Crockford's
/// base 32 (no i, l, o, u). Short enough to type, sortable by creation, and unguessable enough that two servers
/// sharing a data folder do not collide (30 random bits per millisecond).
/// </summary>
internal static class JobIds
{
    public const int Length = 16;

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(DateTimeOffset now)
    {
        Span<char> id = stackalloc char[Length];
        var millis = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds());
        for (var i = 9; i >= 0; i--)
        {
            id[i] = Alphabet[(int)(millis & 31)];
            millis >>= 5;
        }

        Span<byte> random = stackalloc byte[6];
        RandomNumberGenerator.Fill(random);
        for (var i = 0; i < 6; i++)
        {
            id[10 + i] = Alphabet[random[i] & 31];
        }

        return new string(id);
    }

    /// <summary>True when <paramref name="id"/> has the shape of an id (checked before any lookup).</summary>
    public static bool IsWellFormed(string id) => id.Length == Length && id.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}

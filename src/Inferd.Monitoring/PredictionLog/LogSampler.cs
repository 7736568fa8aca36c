using System.Runtime.CompilerServices;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// Decides from the request id alone whether a request is logged, so a retried request (same id) is sampled the same
/// way and feedback for a sampled request always finds its record.
/// </summary>
internal static class LogSampler
{
    /// <summary>Whether <paramref name="requestId"/> falls in the logged fraction <paramref name="rate"/> (0 to 1).</summary>
    public static bool IsSampled(string requestId, double rate) => rate >= 1 || (rate > 0 && Unit(requestId) < rate);

    /// <summary>A uniform value in [0, 1) from the id: FNV-1a over the characters, then the SplitMix64 finalizer.</summary>
    public static double Unit(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        var h = 14695981039346656037UL;
        foreach (var c in requestId)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        // FNV alone leaves sequential ids ("req-1", "req-2") close together in the high bits; the finalizer spreads them.
        return (Mix(h) >> 11) * (1.0 / (1UL << 53));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

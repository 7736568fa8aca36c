using System.Text.RegularExpressions;

namespace Inferd.Backends.OnnxRuntime;

/// <summary>Cleans ONNX Runtime messages before they reach a client: no file paths, bounded length.</summary>
internal static partial class OrtMessages
{
    public static string Sanitize(string message)
    {
        var cleaned = PathPattern().Replace(message, "<path>");
        // ORT prefixes messages with "[ErrorCode:...] " and source locations; the tail carries the useful part.
        cleaned = cleaned.Replace("\n", " ", StringComparison.Ordinal);
        return cleaned.Length > 300 ? cleaned[..300] + "..." : cleaned;
    }

    [GeneratedRegex(@"(/[^\s:'""]+)+")]
    private static partial Regex PathPattern();
}

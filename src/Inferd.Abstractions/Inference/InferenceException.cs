namespace Inferd.Abstractions.Inference;

/// <summary>An error with a kind from the taxonomy and a message safe to show to clients.</summary>
public sealed class InferenceException : Exception
{
    /// <summary>Longest message sent to a client; longer ones are cut (bad-inputs.md row 12).</summary>
    public const int MaxMessageLength = 512;

    /// <summary>Creates an error. The message must not echo payloads, paths or internal names.</summary>
    public InferenceException(InferenceErrorKind kind, string message, Exception? inner = null)
        : base(Truncate(message), inner)
    {
        Kind = kind;
    }

    /// <summary>Which row of the taxonomy this is.</summary>
    public InferenceErrorKind Kind { get; }

    /// <summary>Shorthand for an <see cref="InferenceErrorKind.InvalidInput"/> error.</summary>
    public static InferenceException Invalid(string message) => new(InferenceErrorKind.InvalidInput, message);

    /// <summary>Shorthand for <see cref="InferenceErrorKind.ModelNotFound"/>.</summary>
    public static InferenceException NotFound(string message) => new(InferenceErrorKind.ModelNotFound, message);

    private static string Truncate(string message)
    {
        // Client-chosen names end up in messages; control characters (newlines, escapes) never go back out.
        if (message.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || message.Contains('\u007f', StringComparison.Ordinal))
        {
            message = string.Create(message.Length, message, static (span, m) =>
            {
                for (var i = 0; i < m.Length; i++)
                {
                    span[i] = char.IsControl(m[i]) ? '?' : m[i];
                }
            });
        }

        return message.Length <= MaxMessageLength ? message : string.Concat(message.AsSpan(0, MaxMessageLength - 3), "...");
    }
}

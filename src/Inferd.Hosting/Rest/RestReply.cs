namespace Inferd.Hosting.Rest;

/// <summary>A fully serialized REST answer: built before anything is sent, so a failure can still become an error.</summary>
internal sealed class RestReply
{
    /// <summary>The one JSON content type Inferd sends; exactly this value, without a charset (protocol.md §8).</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The content type of bodies carrying binary tensors.</summary>
    public const string BinaryContentType = "application/octet-stream";

    /// <summary>HTTP status.</summary>
    public required int Status { get; init; }

    /// <summary>Content type, or null for an empty body.</summary>
    public string? ContentType { get; init; }

    /// <summary>The JSON part (or the whole body).</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Binary tensors appended after <see cref="Body"/>, in order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Tail { get; init; } = [];

    /// <summary>Extra headers such as Retry-After or Inference-Header-Content-Length.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>A JSON reply.</summary>
    public static RestReply Json(int status, ReadOnlyMemory<byte> body) => new() { Status = status, ContentType = JsonContentType, Body = body };

    /// <summary>A 200 with an empty body (load/unload: Triton answers 200, and tritonclient rejects 204).</summary>
    public static RestReply EmptyOk { get; } = new() { Status = 200 };

    /// <summary>Bytes of the whole body.</summary>
    public long ContentLength
    {
        get
        {
            long total = Body.Length;
            foreach (var part in Tail)
            {
                total += part.Length;
            }

            return total;
        }
    }
}

using System.Text.Json;

namespace Inferd.Hosting.Rest;

/// <summary>
/// One field of one prediction instance before it becomes tensor elements: a JSON value (from the JSON body or a
/// parsed multipart text part), or raw bytes (a multipart file part or a raw body).
/// </summary>
internal readonly struct PredictField
{
    private PredictField(JsonElement json, ReadOnlyMemory<byte> bytes, bool isBytes)
    {
        Json = json;
        Bytes = bytes;
        IsBytes = isBytes;
    }

    /// <summary>The JSON value; undefined when <see cref="IsBytes"/>.</summary>
    public JsonElement Json { get; }

    /// <summary>The raw bytes when <see cref="IsBytes"/>.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>True for raw bytes (a file part or a raw body).</summary>
    public bool IsBytes { get; }

    /// <summary>True for a JSON <c>null</c>.</summary>
    public bool IsNull => !IsBytes && Json.ValueKind == JsonValueKind.Null;

    /// <summary>A JSON value. Ownership: the element's document stays alive until the tensors are built.</summary>
    public static PredictField FromJson(JsonElement json) => new(json, default, isBytes: false);

    /// <summary>Raw bytes. Ownership: the memory stays alive until the tensors are built.</summary>
    public static PredictField FromBytes(ReadOnlyMemory<byte> bytes) => new(default, bytes, isBytes: true);
}

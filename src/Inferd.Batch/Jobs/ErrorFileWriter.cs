using System.Text.Encodings.Web;
using System.Text.Json;

namespace Inferd.Batch.Jobs;

/// <summary>Writes bad rows as JSON Lines: <c>{"file", "row", "key", "error"}</c>, whatever the output format.</summary>
internal static class ErrorFileWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Stream stream, string file, IReadOnlyList<RowError> errors)
    {
        using var json = new Utf8JsonWriter(stream, Options);
        foreach (var error in errors)
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteNumber("row", error.Row);
            if (error.Key is not null)
            {
                json.WriteString("key", error.Key);
            }

            json.WriteString("error", error.Message);
            json.WriteEndObject();
            json.Flush();
            stream.WriteByte((byte)'\n');
            json.Reset();
        }
    }
}

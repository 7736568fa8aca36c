using System.Buffers;
using System.Text.Json;
using Inferd.Explain.Background;
using Inferd.Monitoring.PredictionLog;

namespace Inferd.Hosting.Explain;

/// <summary>
/// Background rows from logged traffic: the newest records of a model, their inputs split into rows and written in the
/// background file's form (<c>{"input": [elements]}</c>). Records whose inputs were redacted or hashed are skipped,
/// since their values are gone.
/// </summary>
/// <param name="store">The prediction log store.</param>
internal sealed class PredictionLogBackground(IPredictionLogStore store) : IBackgroundLogSource
{
    // Records read per wanted row: batches give several rows each, skipped records give none.
    private const int RecordsPerRow = 2;

    /// <inheritdoc/>
    public async Task<IReadOnlyList<string>> SampleAsync(string model, bool batched, int rows, CancellationToken cancellationToken)
    {
        var records = await store.QueryAsync(new PredictionQuery(model, Limit: Math.Min(100_000, rows * RecordsPerRow)), cancellationToken).ConfigureAwait(false);
        var lines = new List<string>(rows);
        foreach (var record in records)
        {
            Split(record.InputsJson, batched, lines);
            if (lines.Count >= rows)
            {
                break;
            }
        }

        return lines;
    }

    private static void Split(string inputsJson, bool batched, List<string> into)
    {
        using var document = JsonDocument.Parse(inputsJson);
        var tensors = document.RootElement.EnumerateObject().ToArray();
        if (tensors.Length == 0 || tensors.Any(t => !Usable(t.Value)))
        {
            return;
        }

        var count = batched ? tensors.Select(t => t.Value.GetProperty("shape")[0].GetInt64()).Distinct().SingleOrDefault(-1) : 1;
        if (count < 1)
        {
            return;
        }

        for (var r = 0; r < count; r++)
        {
            var buffer = new ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                foreach (var t in tensors)
                {
                    var data = t.Value.GetProperty("data");
                    var per = data.GetArrayLength() / (int)count;
                    w.WriteStartArray(t.Name);
                    foreach (var e in data.EnumerateArray().Skip(r * per).Take(per))
                    {
                        e.WriteTo(w);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            into.Add(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
    }

    private static bool Usable(JsonElement tensor)
    {
        if (tensor.TryGetProperty("redacted", out _) || tensor.TryGetProperty("encoding", out _) || !tensor.TryGetProperty("data", out var data)
            || !tensor.TryGetProperty("shape", out var shape) || shape.GetArrayLength() == 0)
        {
            return false;
        }

        // A hashed tensor keeps its shape but each element is "h:<hex>".
        var numeric = tensor.GetProperty("datatype").GetString() != "BYTES";
        return !data.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && (numeric || e.GetString()!.StartsWith("h:", StringComparison.Ordinal)));
    }
}

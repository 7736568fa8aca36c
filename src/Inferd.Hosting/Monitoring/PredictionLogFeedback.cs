using System.Buffers;
using System.Text;
using System.Text.Json;
using Inferd.Hosting.Rest;
using Inferd.Monitoring.PredictionLog;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// <c>POST v2/models/{model}/feedback</c>: ground truth for a logged request, <c>{"request_id": "...", "truth": v}</c>
/// (<c>label</c> and <c>value</c> are accepted for <c>truth</c>), where v is a number, string, bool, or an array of
/// those with one entry per row. A JSON array of such objects is a bulk upload: all are checked before any is stored.
/// </summary>
internal static class PredictionLogFeedback
{
    /// <summary>Entries in one bulk upload at most.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Most bytes of a feedback body: 10,000 entries of a few hundred bytes.</summary>
    public const int MaxBodyBytes = 8 << 20;

    /// <summary>Longest request id accepted (ids are made by clients or the server, never documents).</summary>
    public const int MaxRequestIdLength = 256;

    /// <summary>Request ids a bulk answer lists when they were not found.</summary>
    private const int MaxListedMissing = 100;

    private static readonly string[] TruthNames = ["truth", "label", "value"];

    public static async Task<RestReply> PostAsync(IPredictionLogStore store, HttpContext context)
    {
        var model = PredictionLogEndpoints.ModelName(context.Request.RouteValues["model"] as string, "the model in the path");
        List<(string RequestId, string Truth)> entries;
        bool bulk;
        using (var body = await RestBody.ReadAsync(context, MaxBodyBytes, context.RequestAborted))
        {
            (entries, bulk) = Parse(body.Memory);
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!bulk)
        {
            var (id, truth) = entries[0];
            var record = await store.FindAsync(id, context.RequestAborted);
            // A record of another model is not revealed: the answer is the same as for a missing one.
            if (record is null || record.Model != model || !await store.SetFeedbackAsync(id, truth, now, context.RequestAborted))
            {
                throw new RestStatusException(StatusCodes.Status404NotFound, NotFound(id, model));
            }

            return PredictionLogEndpoints.Ok(w =>
            {
                w.WriteStartObject();
                w.WriteString("request_id", id);
                w.WriteString("model", record.Model);
                w.WriteString("version", record.Version);
                w.WriteEndObject();
            });
        }

        var missing = new List<string>();
        foreach (var (id, truth) in entries)
        {
            var record = await store.FindAsync(id, context.RequestAborted);
            if (record is null || record.Model != model || !await store.SetFeedbackAsync(id, truth, now, context.RequestAborted))
            {
                missing.Add(id);
            }
        }

        return PredictionLogEndpoints.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("received", entries.Count);
            w.WriteNumber("joined", entries.Count - missing.Count);
            w.WriteNumber("not_found", missing.Count);
            w.WriteStartArray("not_found_ids");
            foreach (var id in missing.Take(MaxListedMissing))
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>The entries of a body, truth as compact JSON; whether it was an array.</summary>
    /// <exception cref="RestStatusException">The body is not valid feedback (400), naming the entry and field.</exception>
    internal static (List<(string RequestId, string Truth)> Entries, bool Bulk) Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            // Feedback is flat: an array of objects holding at most an array of scalars.
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            throw PredictionLogEndpoints.BadRequest("the body is not valid JSON; send {\"request_id\": \"...\", \"truth\": <value>} or an array of them");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                return ([Entry(root, "")], false);
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                throw PredictionLogEndpoints.BadRequest("the body must be a JSON object {\"request_id\": \"...\", \"truth\": <value>} or an array of them");
            }

            var count = root.GetArrayLength();
            if (count is 0 or > MaxEntries)
            {
                throw PredictionLogEndpoints.BadRequest($"a bulk upload must hold 1 to {MaxEntries} entries");
            }

            var entries = new List<(string, string)>(count);
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                entries.Add(Entry(element, $"entry {index++}: "));
            }

            return (entries, true);
        }
    }

    private static (string RequestId, string Truth) Entry(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw PredictionLogEndpoints.BadRequest(where + "each entry must be a JSON object");
        }

        string? id = null;
        string? truth = null;
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name == "request_id")
            {
                id = p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: > 0 and <= MaxRequestIdLength } s
                    ? s
                    : throw PredictionLogEndpoints.BadRequest($"{where}request_id must be a non-empty string of at most {MaxRequestIdLength} characters");
            }
            else if (TruthNames.Contains(p.Name))
            {
                truth = truth is null
                    ? Truth(p.Value, where + p.Name)
                    : throw PredictionLogEndpoints.BadRequest(where + "give one of truth, label and value");
            }
            else
            {
                throw PredictionLogEndpoints.BadRequest($"{where}unknown field '{Clip(p.Name)}' (expected request_id and truth)");
            }
        }

        return (id ?? throw PredictionLogEndpoints.BadRequest(where + "request_id is required"),
            truth ?? throw PredictionLogEndpoints.BadRequest(where + "truth (or label, or value) is required"));
    }

    private static string Truth(JsonElement value, string field)
    {
        if (IsScalar(value) || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(IsScalar)))
        {
            // Rewritten compactly, whatever the client's spacing: the stored value is what accuracy code parses.
            var buffer = new ArrayBufferWriter<byte>(64);
            using (var w = new Utf8JsonWriter(buffer, RestJson.Readable))
            {
                value.WriteTo(w);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        throw PredictionLogEndpoints.BadRequest($"{field} must be a number, string, boolean, or a non-empty array of those (one per row)");
    }

    private static bool IsScalar(JsonElement e) => e.ValueKind is JsonValueKind.Number or JsonValueKind.String or JsonValueKind.True or JsonValueKind.False;

    private static string NotFound(string id, string model) =>
        $"no logged prediction with request id '{Clip(id)}' for model '{model}' (it may not have been sampled, or the log is off)";

    private static string Clip(string text) => text.Length > 64 ? text[..64] + "..." : text;
}

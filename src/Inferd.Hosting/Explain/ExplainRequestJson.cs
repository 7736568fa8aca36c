using System.Buffers;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Explain;

namespace Inferd.Hosting.Explain;

/// <summary>
/// Splits an explanation body into its <c>explain</c> object (the method and its parameters) and the rest, which is an
/// ordinary v2 inference or v1 prediction body and goes to that protocol's own reader unchanged.
/// </summary>
internal static class ExplainRequestJson
{
    private const string Fields = "method, output, target, budget, samples, mode, seed, background_rows, input, segments, heatmap";

    /// <summary>The body without <c>explain</c>, and a function that turns the row's request into the explanation request.</summary>
    public static (byte[] Remainder, Func<InferenceRequest, ExplanationRequest> Build) Split(ReadOnlyMemory<byte> body, RequestLimits limits)
    {
        if (body.IsEmpty)
        {
            throw InferenceException.Invalid("the request body is empty");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException)
        {
            throw InferenceException.Invalid($"the request is not valid JSON, or is nested deeper than {limits.MaxJsonDepth} levels");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw InferenceException.Invalid("the request must be a JSON object");
            }

            var buffer = new ArrayBufferWriter<byte>(body.Length);
            Func<InferenceRequest, ExplanationRequest> build = row => new ExplanationRequest(row);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var property in root.EnumerateObject())
                {
                    if (property.Name == "explain")
                    {
                        build = Parameters(property.Value);
                        continue;
                    }

                    property.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            return (buffer.WrittenSpan.ToArray(), build);
        }
    }

    private static Func<InferenceRequest, ExplanationRequest> Parameters(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null)
        {
            return row => new ExplanationRequest(row);
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            throw InferenceException.Invalid($"\"explain\" must be an object with any of {Fields}");
        }

        string? method = null, output = null, mode = null, input = null;
        int? target = null, samples = null, rows = null, segments = null;
        long? budget = null;
        var seed = 1;
        var heatmap = false;
        foreach (var p in e.EnumerateObject())
        {
            var v = p.Value;
            switch (p.Name)
            {
                case "method": method = Text(v, "method"); break;
                case "output": output = Text(v, "output"); break;
                case "mode": mode = Text(v, "mode"); break;
                case "input": input = Text(v, "input"); break;
                case "target": target = Int(v, "target", 0); break;
                case "samples": samples = Int(v, "samples", 1); break;
                case "background_rows": rows = Int(v, "background_rows", 1); break;
                case "segments": segments = Int(v, "segments", 1); break;
                case "seed": seed = v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var s) ? s : throw Bad("seed", "an integer"); break;
                case "budget": budget = v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var b) && b > 0 ? b : throw Bad("budget", "a positive integer (model evaluations)"); break;
                case "heatmap": heatmap = v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Bad("heatmap", "true or false"); break;
                default: throw InferenceException.Invalid($"unknown field 'explain.{Clip(p.Name)}'; expected any of {Fields}");
            }
        }

        return row => new ExplanationRequest(row)
        {
            Method = method,
            Output = output,
            Mode = mode,
            Input = input,
            Target = target,
            Samples = samples,
            BackgroundRows = rows,
            Segments = segments,
            Seed = seed,
            Budget = budget,
            Heatmap = heatmap,
        };
    }

    private static string Text(JsonElement v, string name) =>
        v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 and <= 256 } s ? s : throw Bad(name, "a non-empty string of at most 256 characters");

    private static int Int(JsonElement v, string name, int min) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= min ? i : throw Bad(name, min == 0 ? "a non-negative integer" : "a positive integer");

    private static InferenceException Bad(string name, string what) => InferenceException.Invalid($"'explain.{name}' must be {what}");

    private static string Clip(string name) => name.Length <= 64 ? name : name[..64] + "…";
}

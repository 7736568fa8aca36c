using System.Buffers;
using System.Text.Json;
using Inferd.Explain;
using Inferd.Hosting.Rest;

namespace Inferd.Hosting.Explain;

/// <summary>Writes an <see cref="Explanation"/> as the JSON body of <c>:explain</c> and <c>/explain</c> (docs/explain.md).</summary>
internal static class ExplainResponseJson
{
    /// <summary>The body; absent fields are omitted and a non-finite number is written as null.</summary>
    public static ReadOnlyMemory<byte> Write(Explanation e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, RestJson.Readable))
        {
            w.WriteStartObject();
            w.WriteString("model_name", e.ModelName);
            w.WriteString("model_version", e.ModelVersion);
            w.WriteString("method", e.Method);
            if (e.Mode is not null)
            {
                w.WriteString("mode", e.Mode);
            }

            w.WriteString("output", e.Output);
            w.WriteNumber("target", e.Target);
            Number(w, "prediction", e.Prediction);
            Number(w, "base_value", e.BaseValue);
            Number(w, "additivity_error", e.AdditivityError);
            Number(w, "stated_error", e.StatedError);
            Number(w, "intercept", e.Intercept);
            Number(w, "r2", e.R2);
            if (e.Samples is { } samples)
            {
                w.WriteNumber("samples", samples);
            }

            if (e.Background is not null)
            {
                w.WriteString("background", e.Background);
            }

            w.WriteStartArray("features");
            foreach (var f in e.Features)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("value", f.Value);
                Number(w, "attribution", f.Attribution);
                Number(w, "error", f.Error);
                Number(w, "weight", f.Weight);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("evaluations", e.Evaluations);
            w.WriteNumber("calls", e.Calls);
            w.WriteNumber("duration_ms", Math.Round(e.DurationMs, 3));
            w.WriteNumber("queued_ms", Math.Round(e.QueuedMs, 3));
            if (e.HeatmapPng is not null)
            {
                w.WriteBase64String("heatmap_png", e.HeatmapPng);
            }

            w.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is not { } v)
        {
            return;
        }

        if (double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}

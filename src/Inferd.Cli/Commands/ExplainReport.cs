using System.Text.Json;

namespace Inferd.Cli.Commands;

/// <summary>The answer of <c>POST v1/models/{m}:explain</c> as <c>inferd explain</c> reads it (docs/explain.md).</summary>
internal sealed record ExplainReport
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>Version that answered.</summary>
    public required string Version { get; init; }

    /// <summary>Method that ran.</summary>
    public required string Method { get; init; }

    /// <summary>kernel_shap's mode, if any.</summary>
    public string? Mode { get; init; }

    /// <summary>Explained output.</summary>
    public required string Output { get; init; }

    /// <summary>Explained element of the output row.</summary>
    public int Target { get; init; }

    /// <summary>f(x).</summary>
    public double? Prediction { get; init; }

    /// <summary>SHAP base value.</summary>
    public double? BaseValue { get; init; }

    /// <summary>SHAP additivity error.</summary>
    public double? AdditivityError { get; init; }

    /// <summary>Sampled SHAP's stated error.</summary>
    public double? StatedError { get; init; }

    /// <summary>LIME intercept.</summary>
    public double? Intercept { get; init; }

    /// <summary>LIME weighted R².</summary>
    public double? R2 { get; init; }

    /// <summary>Samples drawn.</summary>
    public int? Samples { get; init; }

    /// <summary>Where the background came from.</summary>
    public string? Background { get; init; }

    /// <summary>Features in the model's order.</summary>
    public IReadOnlyList<ExplainFeature> Features { get; init; } = [];

    /// <summary>Model evaluations used.</summary>
    public long Evaluations { get; init; }

    /// <summary>Facade calls used.</summary>
    public int Calls { get; init; }

    /// <summary>Explanation time in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>Queue wait in milliseconds.</summary>
    public double QueuedMs { get; init; }

    /// <summary>Image LIME's heat map, when one was asked for.</summary>
    public byte[]? HeatmapPng { get; init; }

    /// <summary>The <paramref name="count"/> features with the largest |attribution|, largest first (ties in model order).</summary>
    public IReadOnlyList<ExplainFeature> Top(int count) =>
        Features.Select((f, i) => (f, i)).OrderByDescending(t => Math.Abs(t.f.Attribution)).ThenBy(t => t.i).Take(count).Select(t => t.f).ToArray();

    /// <summary>Reads the response body.</summary>
    /// <exception cref="FormatException">The body is not an explanation.</exception>
    public static ExplainReport Read(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var r = document.RootElement;
            return new ExplainReport
            {
                Model = r.GetProperty("model_name").GetString()!,
                Version = r.GetProperty("model_version").GetString()!,
                Method = r.GetProperty("method").GetString()!,
                Mode = Text(r, "mode"),
                Output = r.GetProperty("output").GetString()!,
                Target = r.TryGetProperty("target", out var t) ? t.GetInt32() : 0,
                Prediction = Number(r, "prediction"),
                BaseValue = Number(r, "base_value"),
                AdditivityError = Number(r, "additivity_error"),
                StatedError = Number(r, "stated_error"),
                Intercept = Number(r, "intercept"),
                R2 = Number(r, "r2"),
                Samples = r.TryGetProperty("samples", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null,
                Background = Text(r, "background"),
                Features = r.GetProperty("features").EnumerateArray().Select(f => new ExplainFeature(
                    f.GetProperty("name").GetString()!,
                    Text(f, "value") ?? "",
                    Number(f, "attribution") ?? double.NaN)
                {
                    Error = Number(f, "error"),
                    Weight = Number(f, "weight"),
                }).ToArray(),
                Evaluations = r.TryGetProperty("evaluations", out var e) ? e.GetInt64() : 0,
                Calls = r.TryGetProperty("calls", out var c) ? c.GetInt32() : 0,
                DurationMs = Number(r, "duration_ms") ?? 0,
                QueuedMs = Number(r, "queued_ms") ?? 0,
                HeatmapPng = r.TryGetProperty("heatmap_png", out var h) && h.ValueKind == JsonValueKind.String ? h.GetBytesFromBase64() : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("the server's answer is not an explanation: " + ex.Message, ex);
        }
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}

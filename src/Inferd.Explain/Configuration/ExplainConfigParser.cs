using System.Runtime.CompilerServices;
using System.Text.Json;
using Inferd.Abstractions.Inference;

namespace Inferd.Explain.Configuration;

/// <summary>Parses a model's raw <c>explain</c> JSON, once per config string. Unknown fields are refused by name.</summary>
internal static class ExplainConfigParser
{
    /// <summary>Method names an <c>explain.method</c> may hold.</summary>
    public static readonly string[] Methods = ["kernel_shap", "tree_shap", "lime", "lime_tabular", "lime_text", "lime_image"];

    private static readonly ConditionalWeakTable<string, ExplainConfig> Cache = [];

    /// <summary>The parsed section, or the default for null.</summary>
    /// <exception cref="InferenceException">InvalidInput naming the bad field.</exception>
    public static ExplainConfig Get(string? json) => json is null ? ExplainConfig.Default : Cache.GetValue(json, static j => Parse(j));

    /// <summary>Parses without the cache.</summary>
    public static ExplainConfig Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad("explain must be a JSON object");
        }

        var config = ExplainConfig.Default;
        foreach (var p in root.EnumerateObject())
        {
            var v = p.Value;
            config = p.Name switch
            {
                "background" => config with { Background = ReadBackground(v) },
                "feature_names" => config with { FeatureNames = ReadNames(v) },
                "method" => config with { Method = ReadMethod(v) },
                "budget" => config with { Budget = v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var b) && b > 0 ? b : throw Bad("explain.budget must be a positive integer (model evaluations per explanation)") },
                _ => throw Bad($"explain: unknown field '{p.Name}' (expected background, feature_names, method or budget)"),
            };
        }

        return config;
    }

    private static BackgroundConfig ReadBackground(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw Bad("explain.background must be an object");
        }

        var b = new BackgroundConfig();
        foreach (var p in e.EnumerateObject())
        {
            var v = p.Value;
            b = p.Name switch
            {
                "file" => b with { File = v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } f ? f : throw Bad("explain.background.file must be a non-empty file name") },
                "prediction_log" => b with { PredictionLog = v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Bad("explain.background.prediction_log must be true or false") },
                "rows" => b with { Rows = v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var r) && r is > 0 and <= 10_000 ? r : throw Bad("explain.background.rows must be an integer from 1 to 10000") },
                "seed" => b with { Seed = v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var s) ? s : throw Bad("explain.background.seed must be an integer") },
                _ => throw Bad($"explain.background: unknown field '{p.Name}' (expected file, prediction_log, rows or seed)"),
            };
        }

        if ((b.File is null) == !b.PredictionLog)
        {
            throw Bad("explain.background needs exactly one of 'file' and 'prediction_log': true");
        }

        return b;
    }

    private static string[] ReadNames(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(n => n.ValueKind == JsonValueKind.String)
            ? e.EnumerateArray().Select(n => n.GetString()!).ToArray()
            : throw Bad("explain.feature_names must be an array of strings");

    private static string ReadMethod(JsonElement e) =>
        e.ValueKind == JsonValueKind.String && Methods.Contains(e.GetString())
            ? e.GetString()!
            : throw Bad($"explain.method must be one of {string.Join(", ", Methods)}");

    private static InferenceException Bad(string message) => InferenceException.Invalid("the model's explain section is invalid: " + message);
}

using System.Text.Json;
using Inferd.Batch.Service;
using Microsoft.AspNetCore.Http;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Reads the bodies of <c>POST v2/inferd/jobs</c> and <c>POST v2/inferd/schedules</c>. Unknown fields are refused, so a
/// misspelt <c>"ouput_map"</c> is an error instead of a job that silently ignores it. A null value means "not given".
/// </summary>
internal static class JobRequestJson
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    private static readonly HashSet<string> JobFields =
    [
        "model", "version", "input", "output", "input_format", "output_format", "id_column", "input_map", "output_map",
        "shard_rows", "max_errors", "batch_size",
    ];

    private static readonly HashSet<string> ScheduleFields = [.. JobFields, "name", "interval_seconds", "cron"];

    /// <summary>Reads a job request.</summary>
    /// <exception cref="RestStatusException">400: not JSON, not an object, a missing or mistyped field.</exception>
    public static JobRequest ReadJob(ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        var root = Object(document.RootElement, JobFields);
        return Job(root);
    }

    /// <summary>Reads a schedule request: a job request plus <c>name</c> and <c>interval_seconds</c> or <c>cron</c>.</summary>
    /// <exception cref="RestStatusException">400: not JSON, not an object, a missing or mistyped field.</exception>
    public static ScheduleRequest ReadSchedule(ReadOnlyMemory<byte> body)
    {
        using var document = Parse(body);
        var root = Object(document.RootElement, ScheduleFields);
        return new ScheduleRequest
        {
            Name = RequiredString(root, "name"),
            Template = Job(root),
            IntervalSeconds = Integer(root, "interval_seconds"),
            Cron = String(root, "cron"),
        };
    }

    private static JobRequest Job(JsonElement root) => new()
    {
        Model = RequiredString(root, "model"),
        Version = String(root, "version"),
        Input = RequiredString(root, "input"),
        Output = RequiredString(root, "output"),
        InputFormat = String(root, "input_format"),
        OutputFormat = String(root, "output_format"),
        IdColumn = String(root, "id_column"),
        InputMap = InputMap(root),
        OutputMap = OutputMap(root),
        ShardRows = Int32(root, "shard_rows"),
        MaxErrors = Integer(root, "max_errors"),
        BatchSize = Int32(root, "batch_size"),
    };

    private static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, Options);
        }
        catch (JsonException)
        {
            throw Bad("the request body is not valid JSON");
        }
    }

    private static JsonElement Object(JsonElement root, HashSet<string> allowed)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad("the request body must be a JSON object");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                throw Bad($"unknown field '{Clip(property.Name)}'");
            }
        }

        return root;
    }

    private static JsonElement? Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement root, string name) => Field(root, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw Bad($"'{name}' must be a string"),
    };

    private static string RequiredString(JsonElement root, string name) => String(root, name) ?? throw Bad($"'{name}' is required");

    private static long? Integer(JsonElement root, string name) => Field(root, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt64(out var number) => number,
        _ => throw Bad($"'{name}' must be an integer"),
    };

    private static int? Int32(JsonElement root, string name) => Integer(root, name) switch
    {
        null => null,
        { } number when number is >= int.MinValue and <= int.MaxValue => (int)number,
        _ => throw Bad($"'{name}' is out of range"),
    };

    private static Dictionary<string, IReadOnlyList<string>> InputMap(JsonElement root)
    {
        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (Field(root, "input_map") is not { } value)
        {
            return map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Bad("'input_map' must be an object: model input → array of column names");
        }

        foreach (var entry in value.EnumerateObject())
        {
            map[entry.Name] = entry.Value.ValueKind switch
            {
                JsonValueKind.Array => entry.Value.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String
                    ? c.GetString()!
                    : throw Bad($"'input_map' entry '{Clip(entry.Name)}' must list column names (strings)")).ToArray(),
                JsonValueKind.String => [entry.Value.GetString()!],
                _ => throw Bad($"'input_map' entry '{Clip(entry.Name)}' must be an array of column names"),
            };
        }

        return map;
    }

    private static Dictionary<string, string> OutputMap(JsonElement root)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Field(root, "output_map") is not { } value)
        {
            return map;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Bad("'output_map' must be an object: model output → column name");
        }

        foreach (var entry in value.EnumerateObject())
        {
            map[entry.Name] = entry.Value.ValueKind == JsonValueKind.String
                ? entry.Value.GetString()!
                : throw Bad($"'output_map' entry '{Clip(entry.Name)}' must be a column name (a string)");
        }

        return map;
    }

    private static string Clip(string text) => text.Length > 64 ? text[..64] + "..." : text;

    private static RestStatusException Bad(string message) => new(StatusCodes.Status400BadRequest, message);
}

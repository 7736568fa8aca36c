using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;

namespace Inferd.Processing.Pipelines;

/// <summary>
/// Parses a config's <c>pipeline</c> section:
/// <code>
/// {"inputs":  [{"name": "text", "data_type": "TYPE_STRING", "dims": []}],
///  "steps":   [{"name": "tokens", "kind": "wordpiece", "inputs": {"text": "text"}, "outputs": {...}, "options": {...}}, ...],
///  "outputs": ["label", {"name": "probability", "from": "probs"}]}
/// </code>
/// </summary>
internal static class PipelineParser
{
    /// <summary>At most this many steps; a longer chain is almost certainly a generated mistake.</summary>
    public const int MaxSteps = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    /// <summary>Parses the raw JSON. Throws <see cref="ModelConfigException"/> naming the field.</summary>
    public static PipelineDefinition Parse(string json)
    {
        using var document = JsonDocument.Parse(json, DocumentOptions);
        var root = document.RootElement;
        CheckKnown(root, "pipeline", "inputs", "steps", "outputs");
        var inputs = Array(root, "inputs", "pipeline").Select(ReadInput).ToArray();
        if (inputs.Length == 0)
        {
            throw new ModelConfigException("pipeline.inputs must declare at least one input");
        }

        var steps = Array(root, "steps", "pipeline").Select(ReadStep).ToArray();
        if (steps.Length is 0 or > MaxSteps)
        {
            throw new ModelConfigException($"pipeline.steps must hold 1 to {MaxSteps} steps");
        }

        var duplicate = steps.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ModelConfigException($"pipeline step name '{duplicate.Key}' is used twice");
        }

        var outputs = Array(root, "outputs", "pipeline").Select(ReadOutput).ToArray();
        if (outputs.Length == 0)
        {
            throw new ModelConfigException("pipeline.outputs must name at least one value");
        }

        return new PipelineDefinition(inputs, steps, outputs);
    }

    private static PipelineInput ReadInput(JsonElement e, int index)
    {
        var where = $"pipeline.inputs[{index}]";
        CheckKnown(e, where, "name", "data_type", "dims");
        var name = String(e, "name", where);
        var typeName = String(e, "data_type", where);
        if (!DataTypes.TryParseConfigName(typeName, out var type))
        {
            throw new ModelConfigException($"{where}.data_type '{StepOptions.Clip(typeName)}' is not a known type (e.g. TYPE_FP32, TYPE_STRING)");
        }

        long[] dims = [];
        if (e.TryGetProperty("dims", out var d) && d.ValueKind != JsonValueKind.Null)
        {
            dims = d.ValueKind == JsonValueKind.Array
                ? d.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out var v) && (v == -1 || v > 0) ? v : throw new ModelConfigException($"{where}.dims must hold positive sizes or -1")).ToArray()
                : throw new ModelConfigException($"{where}.dims must be an array");
        }

        return new PipelineInput(name, type, dims);
    }

    private static StepDefinition ReadStep(JsonElement e, int index)
    {
        var where = $"pipeline.steps[{index}]";
        CheckKnown(e, where, "name", "kind", "inputs", "outputs", "options");
        var kind = String(e, "kind", where);
        var name = e.TryGetProperty("name", out _) ? String(e, "name", where) : $"{kind}_{index}";
        var options = e.TryGetProperty("options", out var o) && o.ValueKind != JsonValueKind.Null
            ? (o.ValueKind == JsonValueKind.Object ? o.Clone() : throw new ModelConfigException($"{where}.options must be an object"))
            : JsonDocument.Parse("{}").RootElement.Clone();
        return new StepDefinition(name, kind, Wiring(e, "inputs", where), Wiring(e, "outputs", where), options);
    }

    private static PipelineOutput ReadOutput(JsonElement e, int index)
    {
        var where = $"pipeline.outputs[{index}]";
        if (e.ValueKind == JsonValueKind.String)
        {
            var value = e.GetString()!;
            return value.Length > 0 ? new PipelineOutput(value, value) : throw new ModelConfigException($"{where} must not be empty");
        }

        CheckKnown(e, where, "name", "from");
        var name = String(e, "name", where);
        return new PipelineOutput(name, e.TryGetProperty("from", out _) ? String(e, "from", where) : name);
    }

    private static Dictionary<string, string> Wiring(JsonElement step, string field, string where)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!step.TryGetProperty(field, out var w) || w.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (w.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException($"{where}.{field} must be an object mapping step ports to value names");
        }

        foreach (var p in w.EnumerateObject())
        {
            result[p.Name] = p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.Length > 0
                ? p.Value.GetString()!
                : throw new ModelConfigException($"{where}.{field}.{StepOptions.Clip(p.Name)} must be a value name");
        }

        return result;
    }

    private static JsonElement[] Array(JsonElement e, string field, string where) =>
        e.TryGetProperty(field, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().ToArray()
            : throw new ModelConfigException($"{where}.{field} must be an array");

    private static string String(JsonElement e, string field, string where) =>
        e.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0
            ? v.GetString()!
            : throw new ModelConfigException($"{where}.{field} must be a non-empty string");

    private static void CheckKnown(JsonElement e, string where, params string[] known)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException($"{where} must be an object");
        }

        foreach (var p in e.EnumerateObject())
        {
            if (System.Array.IndexOf(known, p.Name) < 0)
            {
                throw new ModelConfigException($"{where}: unknown field '{StepOptions.Clip(p.Name)}'");
            }
        }
    }
}

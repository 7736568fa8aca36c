using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Inferd.Monitoring.Configuration;

/// <summary>Parses a model's raw <c>monitoring</c> JSON; results are cached per config string, so parsing happens once per load.</summary>
public static class MonitoringConfigParser
{
    private static readonly ConditionalWeakTable<string, ModelMonitoringConfig> Cache = [];

    /// <summary>The parsed section, or <see cref="ModelMonitoringConfig.Default"/> for null.</summary>
    /// <exception cref="MonitoringConfigException">The section is invalid.</exception>
    public static ModelMonitoringConfig Get(string? json) =>
        json is null ? ModelMonitoringConfig.Default : Cache.GetValue(json, static j => Parse(j));

    /// <summary>Parses without the cache.</summary>
    /// <exception cref="MonitoringConfigException">The section is invalid.</exception>
    public static ModelMonitoringConfig Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new MonitoringConfigException("monitoring: not valid JSON: " + ex.Message, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MonitoringConfigException("monitoring must be a JSON object");
            }

            var config = ModelMonitoringConfig.Default;
            foreach (var property in root.EnumerateObject())
            {
                var v = property.Value;
                config = property.Name switch
                {
                    "log" => config with { Log = ReadLog(v) },
                    "task" => config with { Task = ReadTask(v) },
                    "drift" => config with { Drift = ReadDrift(v) },
                    "fairness" => config with { Fairness = ReadFairness(v) },
                    _ => throw new MonitoringConfigException($"monitoring: unknown field '{property.Name}' (expected log, task, drift or fairness)"),
                };
            }

            return config;
        }
    }

    private static LogSettings ReadLog(JsonElement e)
    {
        var s = new LogSettings();
        foreach (var p in Object(e, "monitoring.log"))
        {
            s = p.Name switch
            {
                "sample_rate" => s with { SampleRate = Number(p.Value, "monitoring.log.sample_rate", 0, 1) },
                "redact" => s with { Redact = Names(p.Value, "monitoring.log.redact") },
                "hash" => s with { Hash = Names(p.Value, "monitoring.log.hash") },
                "max_tensor_elements" => s with { MaxTensorElements = (int)Number(p.Value, "monitoring.log.max_tensor_elements", 0, 1 << 24) },
                _ => throw Unknown("monitoring.log", p.Name),
            };
        }

        return s;
    }

    private static TaskSettings ReadTask(JsonElement e)
    {
        TaskType? type = null;
        string? output = null;
        double threshold = 0.5;
        string? positive = null;
        foreach (var p in Object(e, "monitoring.task"))
        {
            switch (p.Name)
            {
                case "type":
                    type = Text(p.Value, "monitoring.task.type") switch
                    {
                        "binary" => TaskType.Binary,
                        "multiclass" => TaskType.Multiclass,
                        "regression" => TaskType.Regression,
                        var t => throw new MonitoringConfigException($"monitoring.task.type: '{t}' is not binary, multiclass or regression"),
                    };
                    break;
                case "output":
                    output = Text(p.Value, "monitoring.task.output");
                    break;
                case "threshold":
                    threshold = Number(p.Value, "monitoring.task.threshold", double.MinValue, double.MaxValue);
                    break;
                case "positive_label":
                    positive = Text(p.Value, "monitoring.task.positive_label");
                    break;
                default:
                    throw Unknown("monitoring.task", p.Name);
            }
        }

        return new TaskSettings(
            type ?? throw new MonitoringConfigException("monitoring.task.type is required"),
            output ?? throw new MonitoringConfigException("monitoring.task.output is required"),
            threshold,
            positive);
    }

    private static DriftSettings ReadDrift(JsonElement e)
    {
        var s = new DriftSettings();
        foreach (var p in Object(e, "monitoring.drift"))
        {
            s = p.Name switch
            {
                "profile" => s with { Profile = Text(p.Value, "monitoring.drift.profile") },
                "window" => s with { Window = (int)Number(p.Value, "monitoring.drift.window", 10, 1_000_000) },
                "alpha" => s with { Alpha = Number(p.Value, "monitoring.drift.alpha", 1e-12, 0.5) },
                "psi_threshold" => s with { PsiThreshold = Number(p.Value, "monitoring.drift.psi_threshold", 0, 100) },
                "min_rows" => s with { MinRows = (int)Number(p.Value, "monitoring.drift.min_rows", 1, 1_000_000) },
                _ => throw Unknown("monitoring.drift", p.Name),
            };
        }

        if (Path.IsPathRooted(s.Profile) || s.Profile.Split('/', '\\').Contains(".."))
        {
            throw new MonitoringConfigException("monitoring.drift.profile must be a path inside the model's folder");
        }

        return s;
    }

    private static FairnessSettings ReadFairness(JsonElement e)
    {
        string? attribute = null;
        string? privileged = null;
        var window = 10_000;
        foreach (var p in Object(e, "monitoring.fairness"))
        {
            switch (p.Name)
            {
                case "attribute":
                    attribute = Text(p.Value, "monitoring.fairness.attribute");
                    break;
                case "privileged":
                    privileged = Text(p.Value, "monitoring.fairness.privileged");
                    break;
                case "window":
                    window = (int)Number(p.Value, "monitoring.fairness.window", 10, 10_000_000);
                    break;
                default:
                    throw Unknown("monitoring.fairness", p.Name);
            }
        }

        return new FairnessSettings(attribute ?? throw new MonitoringConfigException("monitoring.fairness.attribute is required"), privileged, window);
    }

    private static JsonElement.ObjectEnumerator Object(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.Object ? e.EnumerateObject() : throw new MonitoringConfigException(field + " must be a JSON object");

    private static string Text(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? s : throw new MonitoringConfigException(field + " must be a non-empty string");

    private static double Number(JsonElement e, string field, double min, double max)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var v) || v < min || v > max)
        {
            throw new MonitoringConfigException($"{field} must be a number between {min} and {max}");
        }

        return v;
    }

    private static string[] Names(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new MonitoringConfigException(field + " must be an array of tensor names");
        }

        return e.EnumerateArray().Select(x => Text(x, field)).ToArray();
    }

    private static MonitoringConfigException Unknown(string section, string name) => new($"{section}: unknown field '{name}'");
}

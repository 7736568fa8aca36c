using System.Text.Json;
using System.Text.Json.Nodes;
using Inferd.Core.Repository;

namespace Inferd.Processing.Steps.Tabular;

/// <summary>
/// The fields of a tabular step and their encoding: the <c>features</c> option, read here for serving and written
/// here by the zoo trainer, so a trained model's config always describes exactly the encoding it was trained on.
/// <code>
/// {"name": "crim", "type": "number", "mean": 3.6, "std": 8.6, "missing": "error"}
/// {"name": "chas", "type": "bool"}
/// {"name": "gender", "type": "category", "categories": ["female", "male"], "missing": "most_frequent", "default": "male", "unknown": "ignore"}
/// </code>
/// <c>missing</c> is <c>"error"</c> (default), <c>"mean"</c> (numbers), a number (numbers and bools) or
/// <c>"most_frequent"</c> (categories, uses <c>default</c>); <c>unknown</c> is <c>"error"</c> (default) or <c>"ignore"</c>.
/// </summary>
internal sealed class FeatureSchema
{
    /// <summary>Creates a schema; throws <see cref="ModelConfigException"/> for an inconsistent feature.</summary>
    public FeatureSchema(IReadOnlyList<FeatureSpec> features)
    {
        if (features.Count == 0)
        {
            throw new ModelConfigException("features: at least one feature is required");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in features)
        {
            Check(f, names);
        }

        Features = features;
        Width = features.Sum(f => f.Width);
    }

    /// <summary>The fields in port and column order.</summary>
    public IReadOnlyList<FeatureSpec> Features { get; }

    /// <summary>Columns of the encoded matrix.</summary>
    public int Width { get; }

    /// <summary>Reads the <c>features</c> option (an array of objects). Errors name the feature.</summary>
    public static FeatureSchema Parse(JsonElement features)
    {
        if (features.ValueKind != JsonValueKind.Array)
        {
            throw new ModelConfigException("option 'features' must be an array of objects");
        }

        return new FeatureSchema(features.EnumerateArray().Select(ParseOne).ToArray());
    }

    /// <summary>The <c>features</c> option for a config (numbers written round-trip, so serving encodes bit for bit as training did).</summary>
    public JsonArray ToJson()
    {
        var array = new JsonArray();
        foreach (var f in Features)
        {
            var o = new JsonObject { ["name"] = f.Name, ["type"] = f.Type.ToString().ToLowerInvariant() };
            if (f.Mean is { } mean)
            {
                o["mean"] = mean;
            }

            if (f.Std is { } std)
            {
                o["std"] = std;
            }

            if (f.Type == FeatureType.Category)
            {
                o["categories"] = new JsonArray(f.Categories.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
            }

            switch (f.Missing)
            {
                case MissingPolicy.Mean:
                    o["missing"] = "mean";
                    break;
                case MissingPolicy.Constant:
                    o["missing"] = f.MissingValue;
                    break;
                case MissingPolicy.MostFrequent:
                    o["missing"] = "most_frequent";
                    o["default"] = f.Default;
                    break;
                default:
                    break;
            }

            if (f.IgnoreUnknown)
            {
                o["unknown"] = "ignore";
            }

            array.Add(o);
        }

        return array;
    }

    private static FeatureSpec ParseOne(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException($"features[{index}] must be an object");
        }

        var name = e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString()!.Length > 0
            ? n.GetString()!
            : throw new ModelConfigException($"features[{index}].name must be a non-empty string");
        var where = $"feature '{Pipelines.StepOptions.Clip(name)}'";
        foreach (var p in e.EnumerateObject())
        {
            if (p.Name is not ("name" or "type" or "mean" or "std" or "categories" or "missing" or "default" or "unknown"))
            {
                throw new ModelConfigException($"{where}: unknown field '{Pipelines.StepOptions.Clip(p.Name)}'");
            }
        }

        var type = (e.TryGetProperty("type", out var t) ? t.GetString() : null) switch
        {
            "number" => FeatureType.Number,
            "category" => FeatureType.Category,
            "bool" => FeatureType.Bool,
            _ => throw new ModelConfigException($"{where}: type must be \"number\", \"category\" or \"bool\""),
        };
        var spec = new FeatureSpec(name, type)
        {
            Mean = OptionalNumber(e, "mean", where),
            Std = OptionalNumber(e, "std", where),
            Default = e.TryGetProperty("default", out var d) && d.ValueKind != JsonValueKind.Null
                ? (d.ValueKind == JsonValueKind.String ? d.GetString() : throw new ModelConfigException($"{where}: default must be a string"))
                : null,
            IgnoreUnknown = (e.TryGetProperty("unknown", out var u) ? u.GetString() ?? "" : "error") switch
            {
                "error" => false,
                "ignore" => true,
                _ => throw new ModelConfigException($"{where}: unknown must be \"error\" or \"ignore\""),
            },
        };
        if (e.TryGetProperty("categories", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            spec = spec with
            {
                Categories = c.ValueKind == JsonValueKind.Array
                    ? c.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw new ModelConfigException($"{where}: categories must be strings")).ToArray()
                    : throw new ModelConfigException($"{where}: categories must be an array of strings"),
            };
        }

        if (e.TryGetProperty("missing", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            spec = m.ValueKind switch
            {
                JsonValueKind.Number when m.TryGetDouble(out var v) && double.IsFinite(v) => spec with { Missing = MissingPolicy.Constant, MissingValue = v },
                JsonValueKind.String when m.GetString() == "error" => spec,
                JsonValueKind.String when m.GetString() == "mean" => spec with { Missing = MissingPolicy.Mean },
                JsonValueKind.String when m.GetString() == "most_frequent" => spec with { Missing = MissingPolicy.MostFrequent },
                _ => throw new ModelConfigException($"{where}: missing must be \"error\", \"mean\", \"most_frequent\" or a number"),
            };
        }

        return spec;
    }

    private static double? OptionalNumber(JsonElement e, string field, string where) =>
        !e.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null
            ? null
            : v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw new ModelConfigException($"{where}: {field} must be a finite number");

    private static void Check(FeatureSpec f, HashSet<string> names)
    {
        var where = $"feature '{Pipelines.StepOptions.Clip(f.Name)}'";
        if (!names.Add(f.Name))
        {
            throw new ModelConfigException($"{where} is declared twice");
        }

        if (f.Type == FeatureType.Category)
        {
            if (f.Categories.Count == 0 || f.Categories.Distinct(StringComparer.Ordinal).Count() != f.Categories.Count || f.Categories.Any(c => c.Length == 0))
            {
                throw new ModelConfigException($"{where}: categories must be a non-empty list of distinct, non-empty strings");
            }

            if (f.Mean is not null || f.Std is not null)
            {
                throw new ModelConfigException($"{where}: mean and std apply to numbers only");
            }

            if (f.Missing is MissingPolicy.Mean or MissingPolicy.Constant)
            {
                throw new ModelConfigException($"{where}: a missing category may be \"error\" or \"most_frequent\"");
            }

            if (f.Missing == MissingPolicy.MostFrequent && (f.Default is null || !f.Categories.Contains(f.Default, StringComparer.Ordinal)))
            {
                throw new ModelConfigException($"{where}: missing \"most_frequent\" needs default, one of the categories");
            }

            return;
        }

        if (f.Categories.Count > 0 || f.Default is not null || f.IgnoreUnknown)
        {
            throw new ModelConfigException($"{where}: categories, default and unknown apply to categories only");
        }

        if (f.Type == FeatureType.Bool && (f.Mean is not null || f.Std is not null || f.Missing is MissingPolicy.Mean))
        {
            throw new ModelConfigException($"{where}: a bool has no mean or std (missing may be \"error\" or a number)");
        }

        if (f.Missing == MissingPolicy.MostFrequent)
        {
            throw new ModelConfigException($"{where}: missing \"most_frequent\" applies to categories");
        }

        if (f.Missing == MissingPolicy.Mean && f.Mean is null)
        {
            throw new ModelConfigException($"{where}: missing \"mean\" needs mean");
        }

        if (f.Std is { } std && (std <= 0 || f.Mean is null))
        {
            throw new ModelConfigException($"{where}: std must be positive and come with mean");
        }
    }
}

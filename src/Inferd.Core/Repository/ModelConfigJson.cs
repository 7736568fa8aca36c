using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Repository;

/// <summary>
/// Reads and writes the JSON form of Triton's ModelConfig (protobuf JSON with snake_case names, protocol.md
/// §11.5). The same form is the on-disk <c>config.json</c>, the <c>config</c> load parameter and the body of
/// <c>GET .../config</c>, so a config read back from the server can be written to disk as it is.
/// </summary>
public static class ModelConfigJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Fields of Triton's ModelConfig that Inferd refuses, with the reason given to the user.</summary>
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["model_operations"] = "custom operation libraries load native code and are never allowed",
        ["model_repository_agents"] = "repository agents are not supported",
        ["sequence_batching"] = "sequence batching is not supported",
        ["ensemble_scheduling"] = "ensembles are not supported; Inferd pipelines are a separate feature",
        ["batch_input"] = "batch_input is not supported",
        ["batch_output"] = "batch_output is not supported",
        ["cc_model_filenames"] = "cc_model_filenames is not supported",
    };

    /// <summary>Parses a config. Throws <see cref="ModelConfigException"/> naming the offending field.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="modelName">The directory name; a <c>name</c> field must equal it.</param>
    public static ParsedModelConfig Read(string json, string modelName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new ModelConfigException($"config is not valid JSON (line {ex.LineNumber + 1})");
        }

        using (document)
        {
            return ReadRoot(document.RootElement, modelName);
        }
    }

    private static ParsedModelConfig ReadRoot(JsonElement root, string modelName)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException("config must be a JSON object");
        }

        var config = new ModelConfig { Name = modelName };
        var hasMaxBatch = false;
        foreach (var p in root.EnumerateObject())
        {
            var v = p.Value;
            switch (p.Name)
            {
                case "name":
                    var name = JsonFields.GetString(v, "name");
                    if (name.Length > 0 && name != modelName)
                    {
                        throw new ModelConfigException($"name '{JsonFields.Clip(name)}' does not match the model directory '{modelName}'");
                    }

                    break;
                case "platform":
                    config = config with { Platform = JsonFields.GetString(v, "platform") };
                    break;
                case "backend":
                    config = config with { Backend = JsonFields.GetString(v, "backend") };
                    break;
                case "runtime":
                    JsonFields.GetString(v, "runtime");
                    break;
                case "max_batch_size":
                    var max = JsonFields.GetInt32(v, "max_batch_size");
                    if (max < 0)
                    {
                        throw new ModelConfigException("max_batch_size must not be negative");
                    }

                    config = config with { MaxBatchSize = max };
                    hasMaxBatch = true;
                    break;
                case "input":
                    config = config with { Inputs = JsonFields.GetArray(v, "input").Select((e, i) => ReadTensor(e, $"input[{i}]", isInput: true)).ToArray() };
                    break;
                case "output":
                    config = config with { Outputs = JsonFields.GetArray(v, "output").Select((e, i) => ReadTensor(e, $"output[{i}]", isInput: false)).ToArray() };
                    break;
                case "version_policy":
                    config = config with { VersionPolicy = ReadVersionPolicy(v) };
                    break;
                case "instance_group":
                    config = config with { InstanceGroups = JsonFields.GetArray(v, "instance_group").Select((e, i) => ReadInstanceGroup(e, i)).ToArray() };
                    break;
                case "default_model_filename":
                    var file = JsonFields.GetString(v, "default_model_filename");
                    config = config with { DefaultModelFilename = file.Length == 0 ? "model.onnx" : RepositoryPaths.CheckRelativeFileName(file, "default_model_filename") };
                    break;
                case "parameters":
                    config = config with { Parameters = ReadParameters(v) };
                    break;
                case "optimization":
                    config = ReadOptimization(v, config);
                    break;
                case "dynamic_batching":
                    config = config with { DynamicBatching = SchedulingConfigJson.ReadDynamicBatching(v) };
                    break;
                case "response_cache":
                    JsonFields.CheckKnown(v, "response_cache", "enable");
                    config = config with { ResponseCacheEnabled = v.TryGetProperty("enable", out var en) && JsonFields.GetBool(en, "response_cache.enable") };
                    break;
                case "model_transaction_policy":
                    JsonFields.CheckKnown(v, "model_transaction_policy", "decoupled");
                    if (v.TryGetProperty("decoupled", out var dec) && JsonFields.GetBool(dec, "model_transaction_policy.decoupled"))
                    {
                        throw new ModelConfigException("decoupled models are not supported by the ONNX Runtime backend");
                    }

                    break;
                case "model_warmup":
                    config = config with { ModelWarmup = JsonFields.GetArray(v, "model_warmup").Select(SchedulingConfigJson.ReadWarmup).ToArray() };
                    break;
                case "pipeline":
                    if (v.ValueKind != JsonValueKind.Object)
                    {
                        throw new ModelConfigException("pipeline must be a JSON object");
                    }

                    config = config with { Pipeline = v.GetRawText() };
                    break;
                case "monitoring":
                    if (v.ValueKind != JsonValueKind.Object)
                    {
                        throw new ModelConfigException("monitoring must be a JSON object");
                    }

                    config = config with { Monitoring = v.GetRawText() };
                    break;
                case "explain":
                    if (v.ValueKind != JsonValueKind.Object)
                    {
                        throw new ModelConfigException("explain must be a JSON object");
                    }

                    config = config with { Explain = v.GetRawText() };
                    break;
                case "metric_tags":
                case "model_metrics":
                    // Accepted for compatibility with existing configs; acted on by later features.
                    break;
                default:
                    if (Refused.TryGetValue(p.Name, out var reason))
                    {
                        if (!IsEmpty(v))
                        {
                            throw new ModelConfigException($"{p.Name}: {reason}");
                        }

                        break;
                    }

                    throw new ModelConfigException($"unknown field '{JsonFields.Clip(p.Name)}' in config");
            }
        }

        if (hasMaxBatch)
        {
            SchedulingConfigJson.CheckWarmupBatchSizes(config.ModelWarmup, config.MaxBatchSize);
        }

        return new ParsedModelConfig(config, hasMaxBatch);
    }

    private static bool IsEmpty(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.Object => !v.EnumerateObject().Any(),
        JsonValueKind.Array => v.GetArrayLength() == 0,
        _ => false,
    };

    private static TensorConfig ReadTensor(JsonElement e, string where, bool isInput)
    {
        string[] known = isInput
            ? ["name", "data_type", "format", "dims", "reshape", "is_shape_tensor", "allow_ragged_batch", "optional", "is_non_linear_format_io"]
            : ["name", "data_type", "dims", "label_filename", "reshape", "is_shape_tensor", "is_non_linear_format_io"];
        JsonFields.CheckKnown(e, where, known);
        var name = e.TryGetProperty("name", out var n) ? JsonFields.GetString(n, where + ".name") : "";
        if (name.Length == 0)
        {
            throw new ModelConfigException($"{where}.name is required");
        }

        var type = DataType.Invalid;
        if (e.TryGetProperty("data_type", out var dt) && !DataTypes.TryParseConfigName(JsonFields.GetString(dt, where + ".data_type"), out type))
        {
            throw new ModelConfigException($"{where}.data_type '{JsonFields.Clip(dt.GetString() ?? "")}' is not a known TYPE_ value");
        }

        var dims = e.TryGetProperty("dims", out var d) ? JsonFields.GetArray(d, where + ".dims").Select(x => JsonFields.GetInt64(x, where + ".dims")).ToArray() : null;
        if (dims is not null && dims.Any(x => x < -1))
        {
            throw new ModelConfigException($"{where}.dims may hold only -1 (variable) or sizes of 0 and more");
        }

        foreach (var flag in new[] { "is_shape_tensor", "allow_ragged_batch", "is_non_linear_format_io" })
        {
            if (e.TryGetProperty(flag, out var f) && JsonFields.GetBool(f, $"{where}.{flag}"))
            {
                throw new ModelConfigException($"{where}.{flag} is not supported");
            }
        }

        if (e.TryGetProperty("reshape", out var reshape) && !IsEmpty(reshape))
        {
            throw new ModelConfigException($"{where}.reshape is not supported");
        }

        var format = TensorFormat.None;
        if (e.TryGetProperty("format", out var fm))
        {
            format = JsonFields.GetString(fm, where + ".format") switch
            {
                "FORMAT_NONE" => TensorFormat.None,
                "FORMAT_NHWC" => TensorFormat.Nhwc,
                "FORMAT_NCHW" => TensorFormat.Nchw,
                _ => throw new ModelConfigException($"{where}.format must be FORMAT_NONE, FORMAT_NHWC or FORMAT_NCHW"),
            };
        }

        string? labels = null;
        if (e.TryGetProperty("label_filename", out var lf))
        {
            var text = JsonFields.GetString(lf, where + ".label_filename");
            labels = text.Length == 0 ? null : RepositoryPaths.CheckRelativeFileName(text, where + ".label_filename");
        }

        return new TensorConfig(name, type, dims ?? [])
        {
            Optional = e.TryGetProperty("optional", out var o) && JsonFields.GetBool(o, where + ".optional"),
            Format = format,
            LabelFilename = labels,
            DimsSpecified = dims is not null,
        };
    }

    private static VersionPolicy ReadVersionPolicy(JsonElement v)
    {
        JsonFields.CheckKnown(v, "version_policy", "latest", "all", "specific");
        var count = v.EnumerateObject().Count();
        if (count > 1)
        {
            throw new ModelConfigException("version_policy must hold exactly one of latest, all or specific");
        }

        if (v.TryGetProperty("latest", out var latest))
        {
            JsonFields.CheckKnown(latest, "version_policy.latest", "num_versions");
            var n = latest.TryGetProperty("num_versions", out var nv) ? JsonFields.GetInt32(nv, "version_policy.latest.num_versions") : 1;
            if (n < 1)
            {
                throw new ModelConfigException("version_policy.latest.num_versions must be at least 1");
            }

            return new VersionPolicy(VersionPolicyKind.Latest, n, []);
        }

        if (v.TryGetProperty("all", out var all))
        {
            JsonFields.CheckKnown(all, "version_policy.all");
            return new VersionPolicy(VersionPolicyKind.All, 0, []);
        }

        if (v.TryGetProperty("specific", out var specific))
        {
            JsonFields.CheckKnown(specific, "version_policy.specific", "versions");
            var versions = specific.TryGetProperty("versions", out var vs)
                ? JsonFields.GetArray(vs, "version_policy.specific.versions").Select(x => JsonFields.GetInt64(x, "version_policy.specific.versions")).ToArray()
                : [];
            if (versions.Length == 0 || versions.Any(x => x < 0))
            {
                throw new ModelConfigException("version_policy.specific.versions must list one or more version numbers");
            }

            return new VersionPolicy(VersionPolicyKind.Specific, 0, versions);
        }

        return VersionPolicy.Default;
    }

    private static InstanceGroup ReadInstanceGroup(JsonElement e, int index)
    {
        var where = $"instance_group[{index}]";
        JsonFields.CheckKnown(e, where, "name", "count", "kind", "gpus", "profile", "passive", "host_policy", "rate_limiter", "secondary_devices");
        var count = e.TryGetProperty("count", out var c) ? JsonFields.GetInt32(c, where + ".count") : 1;
        if (count is < 1 or > 64)
        {
            throw new ModelConfigException($"{where}.count must be between 1 and 64");
        }

        var kind = InstanceKind.Auto;
        if (e.TryGetProperty("kind", out var k))
        {
            kind = JsonFields.GetString(k, where + ".kind") switch
            {
                "KIND_AUTO" => InstanceKind.Auto,
                "KIND_GPU" => InstanceKind.Gpu,
                "KIND_CPU" => InstanceKind.Cpu,
                "KIND_MODEL" => InstanceKind.Model,
                _ => throw new ModelConfigException($"{where}.kind must be KIND_AUTO, KIND_GPU, KIND_CPU or KIND_MODEL"),
            };
        }

        var gpus = e.TryGetProperty("gpus", out var g) ? JsonFields.GetArray(g, where + ".gpus").Select(x => JsonFields.GetInt32(x, where + ".gpus")).ToArray() : [];
        var name = e.TryGetProperty("name", out var n) ? JsonFields.GetString(n, where + ".name") : "";
        return new InstanceGroup(name, count, kind, gpus);
    }

    private static Dictionary<string, string> ReadParameters(JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Object)
        {
            throw new ModelConfigException("parameters must be an object");
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            JsonFields.CheckKnown(p.Value, $"parameters.{JsonFields.Clip(p.Name)}", "string_value");
            result[p.Name] = p.Value.TryGetProperty("string_value", out var s) ? JsonFields.GetString(s, $"parameters.{JsonFields.Clip(p.Name)}.string_value") : "";
        }

        return result;
    }

    private static ModelConfig ReadOptimization(JsonElement v, ModelConfig config)
    {
        JsonFields.CheckKnown(v, "optimization", "graph", "priority", "cuda", "execution_accelerators", "input_pinned_memory", "output_pinned_memory", "gather_kernel_buffer_threshold", "eager_batching");
        if (v.TryGetProperty("graph", out var graph))
        {
            JsonFields.CheckKnown(graph, "optimization.graph", "level");
            if (graph.TryGetProperty("level", out var level))
            {
                config = config with { GraphOptimizationLevel = JsonFields.GetInt32(level, "optimization.graph.level") };
            }
        }

        if (v.TryGetProperty("execution_accelerators", out var ea))
        {
            JsonFields.CheckKnown(ea, "optimization.execution_accelerators", "gpu_execution_accelerator", "cpu_execution_accelerator");
            if (ea.TryGetProperty("gpu_execution_accelerator", out var gpu))
            {
                var names = JsonFields.GetArray(gpu, "gpu_execution_accelerator")
                    .Select(a => a.TryGetProperty("name", out var nm) ? JsonFields.GetString(nm, "gpu_execution_accelerator.name") : "")
                    .ToArray();
                config = config with { GpuExecutionAccelerators = names };
            }
        }

        return config;
    }

    /// <summary>Writes the effective config with every primitive field, 64-bit values as numbers (as Triton does).</summary>
    public static string Write(ModelConfig config) => ModelConfigJsonWriter.Write(config);
}

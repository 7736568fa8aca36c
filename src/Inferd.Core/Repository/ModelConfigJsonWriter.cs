using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Repository;

/// <summary>
/// Writes the JSON form of a ModelConfig as Triton prints it: every primitive field including defaults, 64-bit
/// values as JSON numbers, enums by name (protocol.md §11.5).
/// </summary>
internal static class ModelConfigJsonWriter
{
    /// <summary>Writes the effective config.</summary>
    public static string Write(ModelConfig config)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            WriteTo(w, config);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the effective config into an open writer.</summary>
    public static void WriteTo(Utf8JsonWriter w, ModelConfig config)
    {
        w.WriteStartObject();
        w.WriteString("name", config.Name);
        w.WriteString("platform", config.Platform);
        w.WriteString("backend", config.Backend);
        w.WriteString("runtime", "");
        w.WriteStartObject("version_policy");
        switch (config.VersionPolicy.Kind)
        {
            case VersionPolicyKind.All:
                w.WriteStartObject("all");
                w.WriteEndObject();
                break;
            case VersionPolicyKind.Specific:
                w.WriteStartObject("specific");
                w.WriteStartArray("versions");
                foreach (var version in config.VersionPolicy.Versions)
                {
                    w.WriteNumberValue(version);
                }

                w.WriteEndArray();
                w.WriteEndObject();
                break;
            default:
                w.WriteStartObject("latest");
                w.WriteNumber("num_versions", config.VersionPolicy.NumVersions);
                w.WriteEndObject();
                break;
        }

        w.WriteEndObject();
        w.WriteNumber("max_batch_size", config.MaxBatchSize);
        w.WriteStartArray("input");
        foreach (var input in config.Inputs)
        {
            w.WriteStartObject();
            w.WriteString("name", input.Name);
            w.WriteString("data_type", input.DataType.ToConfigName());
            w.WriteString("format", input.Format switch { TensorFormat.Nhwc => "FORMAT_NHWC", TensorFormat.Nchw => "FORMAT_NCHW", _ => "FORMAT_NONE" });
            WriteDims(w, input.Dims);
            w.WriteBoolean("is_shape_tensor", false);
            w.WriteBoolean("allow_ragged_batch", false);
            w.WriteBoolean("optional", input.Optional);
            w.WriteBoolean("is_non_linear_format_io", false);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("output");
        foreach (var output in config.Outputs)
        {
            w.WriteStartObject();
            w.WriteString("name", output.Name);
            w.WriteString("data_type", output.DataType.ToConfigName());
            WriteDims(w, output.Dims);
            w.WriteString("label_filename", output.LabelFilename ?? "");
            w.WriteBoolean("is_shape_tensor", false);
            w.WriteBoolean("is_non_linear_format_io", false);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("batch_input");
        w.WriteEndArray();
        w.WriteStartArray("batch_output");
        w.WriteEndArray();
        w.WriteStartObject("optimization");
        w.WriteStartObject("graph");
        w.WriteNumber("level", config.GraphOptimizationLevel ?? 0);
        w.WriteEndObject();
        w.WriteString("priority", "PRIORITY_DEFAULT");
        w.WriteStartObject("input_pinned_memory");
        w.WriteBoolean("enable", true);
        w.WriteEndObject();
        w.WriteStartObject("output_pinned_memory");
        w.WriteBoolean("enable", true);
        w.WriteEndObject();
        w.WriteNumber("gather_kernel_buffer_threshold", 0);
        w.WriteBoolean("eager_batching", false);
        w.WriteEndObject();
        if (config.DynamicBatching is { } db)
        {
            w.WriteStartObject("dynamic_batching");
            w.WriteStartArray("preferred_batch_size");
            foreach (var size in db.PreferredBatchSizes)
            {
                w.WriteNumberValue(size);
            }

            w.WriteEndArray();
            w.WriteNumber("max_queue_delay_microseconds", db.MaxQueueDelayMicroseconds);
            w.WriteBoolean("preserve_ordering", db.PreserveOrdering);
            w.WriteNumber("priority_levels", db.PriorityLevels);
            w.WriteNumber("default_priority_level", db.DefaultPriorityLevel);
            w.WritePropertyName("default_queue_policy");
            WriteQueuePolicy(w, db.DefaultQueuePolicy);
            w.WriteStartObject("priority_queue_policy");
            foreach (var (level, policy) in db.PriorityQueuePolicy.OrderBy(p => p.Key))
            {
                // Map keys stay strings in protobuf JSON (protocol.md §11.5).
                w.WritePropertyName(level.ToString(CultureInfo.InvariantCulture));
                WriteQueuePolicy(w, policy);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteStartArray("instance_group");
        foreach (var group in config.InstanceGroups)
        {
            w.WriteStartObject();
            w.WriteString("name", group.Name);
            w.WriteString("kind", group.Kind switch { InstanceKind.Gpu => "KIND_GPU", InstanceKind.Cpu => "KIND_CPU", InstanceKind.Model => "KIND_MODEL", _ => "KIND_AUTO" });
            w.WriteNumber("count", group.Count);
            w.WriteStartArray("gpus");
            foreach (var gpu in group.Gpus)
            {
                w.WriteNumberValue(gpu);
            }

            w.WriteEndArray();
            w.WriteStartArray("secondary_devices");
            w.WriteEndArray();
            w.WriteStartArray("profile");
            w.WriteEndArray();
            w.WriteBoolean("passive", false);
            w.WriteString("host_policy", "");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("default_model_filename", config.DefaultModelFilename);
        w.WriteStartObject("cc_model_filenames");
        w.WriteEndObject();
        w.WriteStartObject("metric_tags");
        w.WriteEndObject();
        w.WriteStartObject("parameters");
        foreach (var (key, value) in config.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(key);
            w.WriteString("string_value", value);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartArray("model_warmup");
        foreach (var sample in config.ModelWarmup)
        {
            WriteWarmup(w, sample);
        }

        w.WriteEndArray();
        w.WriteStartObject("model_transaction_policy");
        w.WriteBoolean("decoupled", false);
        w.WriteEndObject();
        w.WriteStartObject("response_cache");
        w.WriteBoolean("enable", config.ResponseCacheEnabled);
        w.WriteEndObject();
        if (config.Pipeline is not null)
        {
            // Written back as read, so a config fetched from the server can be saved and loaded again.
            w.WritePropertyName("pipeline");
            w.WriteRawValue(config.Pipeline, skipInputValidation: false);
        }

        if (config.Monitoring is not null)
        {
            w.WritePropertyName("monitoring");
            w.WriteRawValue(config.Monitoring, skipInputValidation: false);
        }

        if (config.Explain is not null)
        {
            w.WritePropertyName("explain");
            w.WriteRawValue(config.Explain, skipInputValidation: false);
        }

        w.WriteEndObject();
    }

    private static void WriteQueuePolicy(Utf8JsonWriter w, QueuePolicy policy)
    {
        w.WriteStartObject();
        w.WriteString("timeout_action", policy.TimeoutAction == TimeoutAction.Delay ? "DELAY" : "REJECT");
        w.WriteNumber("default_timeout_microseconds", policy.DefaultTimeoutMicroseconds);
        w.WriteBoolean("allow_timeout_override", policy.AllowTimeoutOverride);
        w.WriteNumber("max_queue_size", policy.MaxQueueSize);
        w.WriteEndObject();
    }

    private static void WriteWarmup(Utf8JsonWriter w, ModelWarmup sample)
    {
        w.WriteStartObject();
        w.WriteString("name", sample.Name);
        w.WriteNumber("batch_size", sample.BatchSize);
        w.WriteStartObject("inputs");
        foreach (var (name, input) in sample.Inputs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(name);
            w.WriteString("data_type", input.DataType.ToConfigName());
            WriteDims(w, input.Dims);

            // The oneof input_data_type: only the field that is set is printed.
            switch (input.Source)
            {
                case WarmupDataSource.File:
                    w.WriteString("input_data_file", input.FileName ?? "");
                    break;
                case WarmupDataSource.Random:
                    w.WriteBoolean("random_data", true);
                    break;
                default:
                    w.WriteBoolean("zero_data", true);
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteNumber("count", sample.Count);
        w.WriteEndObject();
    }

    private static void WriteDims(Utf8JsonWriter w, long[] dims)
    {
        w.WriteStartArray("dims");
        foreach (var dim in dims)
        {
            w.WriteNumberValue(dim);
        }

        w.WriteEndArray();
    }
}

using System.Buffers;
using System.Text.Json;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>JSON bodies of the non-inference endpoints, with the exact field names of protocol.md §3, §4 and §7.</summary>
internal static class RestJson
{
    /// <summary><c>{"error": message}</c>.</summary>
    public static ReadOnlyMemory<byte> Error(string message) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", message);
        w.WriteEndObject();
    });

    /// <summary><c>{"live": value}</c> or <c>{"ready": value}</c>.</summary>
    public static ReadOnlyMemory<byte> Flag(string name, bool value) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean(name, value);
        w.WriteEndObject();
    });

    /// <summary>Model readiness: <c>{"name": m, "ready": value}</c>.</summary>
    public static ReadOnlyMemory<byte> ModelReady(string model, bool ready) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("name", model);
        w.WriteBoolean("ready", ready);
        w.WriteEndObject();
    });

    /// <summary><c>$metadata_server_response</c>.</summary>
    public static ReadOnlyMemory<byte> Server(ServerMetadata metadata) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("name", metadata.Name);
        w.WriteString("version", metadata.Version);
        w.WriteStartArray("extensions");
        foreach (var extension in metadata.Extensions)
        {
            w.WriteStringValue(extension);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary><c>$metadata_model_response</c>.</summary>
    public static ReadOnlyMemory<byte> Model(ModelMetadata metadata) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteString("name", metadata.Name);
        w.WriteStartArray("versions");
        foreach (var version in metadata.Versions)
        {
            w.WriteStringValue(version);
        }

        w.WriteEndArray();
        w.WriteString("platform", metadata.Platform);
        WriteTensors(w, "inputs", metadata.Inputs);
        WriteTensors(w, "outputs", metadata.Outputs);
        w.WriteEndObject();
    });

    /// <summary>The repository index: an array of <c>{name, version, state, reason}</c>.</summary>
    public static ReadOnlyMemory<byte> Index(IReadOnlyList<RepositoryIndexEntry> entries) => Build(w =>
    {
        w.WriteStartArray();
        foreach (var entry in entries)
        {
            w.WriteStartObject();
            w.WriteString("name", entry.Name);
            if (entry.Version.Length > 0)
            {
                w.WriteString("version", entry.Version);
            }

            w.WriteString("state", entry.StateName);
            w.WriteString("reason", entry.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary><c>{"model_stats": [...]}</c> (statistics extension, protocol.md §7.3).</summary>
    public static ReadOnlyMemory<byte> Statistics(IReadOnlyList<ModelStatistics> models) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("model_stats");
        foreach (var model in models)
        {
            w.WriteStartObject();
            w.WriteString("name", model.Name);
            w.WriteString("version", model.Version);
            w.WriteNumber("last_inference", model.LastInference);
            w.WriteNumber("inference_count", model.InferenceCount);
            w.WriteNumber("execution_count", model.ExecutionCount);
            var s = model.InferenceStats;
            w.WriteStartObject("inference_stats");
            Duration(w, "success", s.Success);
            Duration(w, "fail", s.Fail);
            Duration(w, "queue", s.Queue);
            Duration(w, "compute_input", s.ComputeInput);
            Duration(w, "compute_infer", s.ComputeInfer);
            Duration(w, "compute_output", s.ComputeOutput);
            Duration(w, "cache_hit", s.CacheHit);
            Duration(w, "cache_miss", s.CacheMiss);
            w.WriteEndObject();
            // An Inferd addition: failures by reason. Clients that do not know the field ignore it.
            w.WriteStartObject("failures_by_reason");
            foreach (var (reason, count) in model.FailuresByReason)
            {
                w.WriteNumber(reason, count);
            }

            w.WriteEndObject();
            if (model.PipelineSteps.Count > 0)
            {
                // An Inferd addition: per-step counters of a pipeline model, in step order.
                w.WriteStartArray("pipeline_steps");
                foreach (var step in model.PipelineSteps)
                {
                    w.WriteStartObject();
                    w.WriteString("name", step.Name);
                    w.WriteString("kind", step.Kind);
                    w.WriteNumber("count", step.Count);
                    w.WriteNumber("failures", step.Failures);
                    w.WriteNumber("ns", step.TotalNs);
                    w.WriteNumber("max_concurrent", step.MaxConcurrent);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            // Inferd's models are not decoupled: no per-response statistics.
            w.WriteStartObject("response_stats");
            w.WriteEndObject();
            w.WriteStartArray("batch_stats");
            foreach (var batch in model.BatchStats)
            {
                w.WriteStartObject();
                w.WriteNumber("batch_size", batch.BatchSize);
                Duration(w, "compute_input", batch.ComputeInput);
                Duration(w, "compute_infer", batch.ComputeInfer);
                Duration(w, "compute_output", batch.ComputeOutput);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("memory_usage");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static void Duration(Utf8JsonWriter w, string name, DurationStat stat)
    {
        w.WriteStartObject(name);
        w.WriteNumber("count", stat.Count);
        w.WriteNumber("ns", stat.Ns);
        w.WriteEndObject();
    }

    private static void WriteTensors(Utf8JsonWriter w, string name, IReadOnlyList<TensorSignature> tensors)
    {
        w.WriteStartArray(name);
        foreach (var tensor in tensors)
        {
            w.WriteStartObject();
            WriteTensorHeader(w, tensor.Name, tensor.DataType, tensor.Shape);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// Writer options for these bodies: the default encoder escapes HTML-sensitive characters (' becomes \u0027), which
    /// makes error messages hard to read in a terminal; the bodies are application/json, never embedded in HTML, so the
    /// relaxed encoder (which still escapes quotes, backslashes and control characters) is safe here.
    /// </summary>
    internal static readonly JsonWriterOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static ReadOnlyMemory<byte> Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, Readable))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Writes the <c>name</c>, <c>datatype</c> and <c>shape</c> fields shared by metadata and outputs.</summary>
    internal static void WriteTensorHeader(Utf8JsonWriter w, string name, DataType dataType, IReadOnlyList<long> shape)
    {
        w.WriteString("name", name);
        w.WriteString("datatype", dataType.ToWireName());
        w.WriteStartArray("shape");
        foreach (var dim in shape)
        {
            w.WriteNumberValue(dim);
        }

        w.WriteEndArray();
    }
}

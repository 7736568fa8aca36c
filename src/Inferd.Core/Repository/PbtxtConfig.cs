using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Inferd.Core.Repository;

/// <summary>
/// Converts Triton's <c>config.pbtxt</c> (protobuf text format of <c>inference.ModelConfig</c>, protocol.md §11)
/// into the protobuf-JSON form that <see cref="ModelConfigJson.Read"/> parses. The parser is small, strict and
/// bounded (1 MiB of text, 31 levels of nesting); it knows which fields of ModelConfig are repeated and which are
/// maps, and leaves every other check (unknown fields, types, ranges) to <see cref="ModelConfigJson"/>.
/// </summary>
internal static class PbtxtConfig
{
    /// <summary>Largest text accepted, in characters.</summary>
    public const int MaxChars = 1024 * 1024;

    /// <summary>Deepest nesting of <c>{ }</c>, <c>&lt; &gt;</c> and <c>[ ]</c>.</summary>
    // One below ModelConfigJson's JSON limit of 32: the conversion adds one level (the root object).
    public const int MaxDepth = 31;

    /// <summary>Every <c>repeated</c> field of ModelConfig and its sub-messages (protocol.md §11.3), plus GraphSpec's <c>dim</c>.</summary>
    private static readonly HashSet<string> Repeated = new(StringComparer.Ordinal)
    {
        "input", "output", "instance_group", "model_warmup", "batch_input", "batch_output",
        "dims", "shape", "versions", "preferred_batch_size", "gpus", "profile", "secondary_devices", "resources",
        "gpu_execution_accelerator", "cpu_execution_accelerator", "graph_spec", "dim",
        "control_input", "control", "int32_false_true", "fp32_false_true", "bool_false_true", "state", "initial_state",
        "step", "op_library_filename", "agents", "metric_control", "buckets", "target_name", "source_input",
    };

    /// <summary>Map fields whose key is the same wherever they occur.</summary>
    private static readonly HashSet<string> Maps = new(StringComparer.Ordinal)
    {
        "parameters", "cc_model_filenames", "metric_tags", "priority_queue_policy", "input_map", "output_map",
    };

    /// <summary>Converts pbtxt text to JSON. Throws <see cref="ModelConfigException"/> with line and column on any error.</summary>
    public static string ToJson(string pbtxt)
    {
        ArgumentNullException.ThrowIfNull(pbtxt);
        if (pbtxt.Length > MaxChars)
        {
            throw new ModelConfigException("config.pbtxt is larger than 1 MiB");
        }

        var root = new PbtxtParser(pbtxt).ParseRoot();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaxDepth * 2 + 4 }))
        {
            Write(w, root);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal enum PbtxtFieldKind
    {
        Singular,
        Repeated,
        Map,
    }

    internal static PbtxtFieldKind KindOf(string? parent, string field)
    {
        if (Maps.Contains(field)
            || (field == "inputs" && parent == "model_warmup")
            || (field == "input" && parent is "graph_spec" or "lower_bound"))
        {
            return PbtxtFieldKind.Map;
        }

        return Repeated.Contains(field) ? PbtxtFieldKind.Repeated : PbtxtFieldKind.Singular;
    }

    /// <summary>Maps whose values are strings (a missing <c>value</c> is then "" rather than an empty message).</summary>
    internal static bool IsStringMap(string? parent, string field) =>
        field is "cc_model_filenames" or "metric_tags" or "input_map" or "output_map"
        || (field == "parameters" && parent is "gpu_execution_accelerator" or "cpu_execution_accelerator" or "agents");

    private static void Write(Utf8JsonWriter w, PbtxtNode node)
    {
        switch (node)
        {
            case PbtxtObject o:
                w.WriteStartObject();
                foreach (var (name, value) in o.Fields)
                {
                    w.WritePropertyName(name);
                    Write(w, value);
                }

                w.WriteEndObject();
                break;
            case PbtxtArray a:
                w.WriteStartArray();
                foreach (var item in a.Items)
                {
                    Write(w, item);
                }

                w.WriteEndArray();
                break;
            case PbtxtScalar s:
                WriteScalar(w, s);
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter w, PbtxtScalar s)
    {
        switch (s.Kind)
        {
            case PbtxtScalarKind.String:
            case PbtxtScalarKind.Identifier:
                w.WriteStringValue(s.Text);
                break;
            case PbtxtScalarKind.Bool:
                w.WriteBooleanValue(s.Text == "true");
                break;
            case PbtxtScalarKind.Integer:
                var u = ulong.Parse(s.Text, NumberStyles.None, CultureInfo.InvariantCulture);
                if (u <= long.MaxValue)
                {
                    w.WriteNumberValue((long)u);
                }
                else
                {
                    w.WriteNumberValue(u);
                }

                break;
            case PbtxtScalarKind.NegativeInteger:
                w.WriteNumberValue(long.Parse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
                break;
            default:
                w.WriteNumberValue(double.Parse(s.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
        }
    }
}

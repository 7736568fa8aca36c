using System.Buffers;
using System.Text.Json;

namespace Inferd.Monitoring.Alerts;

/// <summary>A rule's state change, as logged and POSTed to the webhook.</summary>
/// <param name="Rule">Rule name.</param>
/// <param name="Kind">Signal kind.</param>
/// <param name="Model">Model.</param>
/// <param name="Version">Version, or null when the signal covers all versions.</param>
/// <param name="Signal">Signal name.</param>
/// <param name="Value">The signal's value at the change.</param>
/// <param name="Threshold">The bound it crossed (or came back within).</param>
/// <param name="State"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="At">When the evaluation saw the change.</param>
internal sealed record AlertEvent(string Rule, string Kind, string Model, string? Version, string Signal, double Value, double Threshold, string State, DateTimeOffset At)
{
    /// <summary>The state name of an ok → firing change.</summary>
    public const string Firing = "firing";

    /// <summary>The state name of a firing → ok change.</summary>
    public const string Resolved = "resolved";

    /// <summary>The webhook body: <c>{"rule","kind","model","version","signal","value","threshold","state","at"}</c>.</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("rule", Rule);
            w.WriteString("kind", Kind);
            w.WriteString("model", Model);
            if (Version is null)
            {
                w.WriteNull("version");
            }
            else
            {
                w.WriteString("version", Version);
            }

            w.WriteString("signal", Signal);
            WriteNumber(w, "value", Value);
            WriteNumber(w, "threshold", Threshold);
            w.WriteString("state", State);
            w.WriteString("at", At);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a number, or null for NaN and infinities (JSON has no spelling for them).</summary>
    internal static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}

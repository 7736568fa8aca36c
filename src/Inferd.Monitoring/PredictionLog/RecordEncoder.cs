using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Monitoring.Configuration;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// Turns an answered request into a <see cref="PredictionRecord"/> while the observer call lasts (the tensors are
/// only valid then), applying the model's <c>monitoring.log</c> settings: sampling by request id, redaction,
/// keyed hashing and the size cap. A few microseconds for a tabular request; one JSON pass, no reflection.
/// </summary>
/// <param name="hashKey">The HMAC key for <c>monitoring.log.hash</c> fields.</param>
internal sealed class RecordEncoder(byte[] hashKey)
{
    // Non-ASCII text is kept as is (not \uXXXX): half the bytes for non-English text, and still valid JSON.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The record of <paramref name="observation"/>, or null when the model's sample rate leaves it out.</summary>
    /// <exception cref="MonitoringConfigException">The model's <c>monitoring</c> section is invalid.</exception>
    public PredictionRecord? Encode(InferenceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var settings = MonitoringConfigParser.Get(observation.Config.Monitoring).Log;
        if (!LogSampler.IsSampled(observation.RequestId, settings.SampleRate))
        {
            return null;
        }

        var response = observation.Response;
        return new PredictionRecord(
            observation.RequestId,
            response.ModelName,
            response.ModelVersion,
            observation.Timestamp,
            observation.LatencyNs / 1000,
            observation.Request.Caller,
            Tensors(observation.Request.Inputs, settings),
            Tensors(response.Outputs, settings));
    }

    /// <summary>The tensors as one JSON object keyed by name.</summary>
    public string Tensors(IReadOnlyList<InferenceTensor> tensors, LogSettings settings)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(settings);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            foreach (var tensor in tensors)
            {
                var treatment = Contains(settings.Redact, tensor.Name) ? TensorJson.Treatment.Redacted
                    : Contains(settings.Hash, tensor.Name) ? TensorJson.Treatment.Hashed
                    : TensorJson.Treatment.Plain;
                TensorJson.Write(w, tensor, treatment, settings.MaxTensorElements, hashKey);
            }

            w.WriteEndObject();
        }

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > 1 << 20)
        {
            // One huge request must not pin a megabyte per thread for the life of the process.
            t_buffer = null;
        }

        return text;
    }

    private static bool Contains(IReadOnlyList<string>? names, string name)
    {
        if (names is null)
        {
            return false;
        }

        foreach (var n in names)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

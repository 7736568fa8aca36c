using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Monitoring.Configuration;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// Turns an answered request into a <see cref="PredictionRecord"/> in two steps, applying the model's
/// <c>monitoring.log</c> settings: <see cref="Capture"/> runs during the observer call (the tensors are only valid
/// then) and decides sampling by request id, redaction, hashing and the size cap, copying only the bytes to keep
/// (a memcpy: about 300 bytes for a 64-feature row); <see cref="Encode(CapturedPrediction)"/> writes the JSON on the
/// writer's thread (about 10 µs for 74 floats, almost all of it float formatting).
/// </summary>
/// <param name="hashKey">The HMAC key for <c>monitoring.log.hash</c> fields.</param>
internal sealed class RecordEncoder(byte[] hashKey)
{
    // Non-ASCII text is kept as is (not \uXXXX): half the bytes for non-English text, and still valid JSON.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The record of <paramref name="observation"/> in one step, or null when not sampled.</summary>
    /// <exception cref="MonitoringConfigException">The model's <c>monitoring</c> section is invalid.</exception>
    public PredictionRecord? Encode(InferenceObservation observation) => Capture(observation) is { } captured ? Encode(captured) : null;

    /// <summary>
    /// Copies what will be logged of <paramref name="observation"/>, or returns null when the model's sample rate
    /// leaves it out. Redacted values are never copied.
    /// </summary>
    /// <exception cref="MonitoringConfigException">The model's <c>monitoring</c> section is invalid.</exception>
    public static CapturedPrediction? Capture(InferenceObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var settings = MonitoringConfigParser.Get(observation.Config.Monitoring).Log;
        if (!LogSampler.IsSampled(observation.RequestId, settings.SampleRate))
        {
            return null;
        }

        var response = observation.Response;
        return new CapturedPrediction(
            observation.RequestId,
            response.ModelName,
            response.ModelVersion,
            observation.Timestamp,
            observation.LatencyNs / 1000,
            observation.Request.Caller,
            Copy(observation.Request.Inputs, settings),
            Copy(response.Outputs, settings));
    }

    /// <summary>The record of a captured request.</summary>
    public PredictionRecord Encode(CapturedPrediction captured)
    {
        ArgumentNullException.ThrowIfNull(captured);
        return new PredictionRecord(
            captured.RequestId,
            captured.Model,
            captured.Version,
            captured.Timestamp,
            captured.LatencyUs,
            captured.Caller,
            Tensors(captured.Inputs),
            Tensors(captured.Outputs));
    }

    private string Tensors(CapturedTensor[] tensors)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            foreach (var (tensor, treatment) in tensors)
            {
                TensorJson.Write(w, tensor, treatment, hashKey);
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

    private static CapturedTensor[] Copy(IReadOnlyList<InferenceTensor> tensors, LogSettings settings)
    {
        var copies = new CapturedTensor[tensors.Count];
        for (var i = 0; i < copies.Length; i++)
        {
            var tensor = tensors[i];
            var treatment = TensorJson.Decide(tensor, Contains(settings.Redact, tensor.Name), Contains(settings.Hash, tensor.Name), settings.MaxTensorElements);
            var data = treatment is TensorJson.Treatment.Plain or TensorJson.Treatment.Hashed ? tensor.Data.ToArray() : ReadOnlyMemory<byte>.Empty;
            copies[i] = new CapturedTensor(new InferenceTensor(tensor.Name, tensor.DataType, [.. tensor.Shape], data), treatment);
        }

        return copies;
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

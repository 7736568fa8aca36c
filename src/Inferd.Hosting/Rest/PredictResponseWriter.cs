using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Writes a v2 response as <c>{"model_name", "model_version", "predictions": [{"&lt;output&gt;": value}, ...]}</c>:
/// one object per instance, each output sliced along the batch dimension. A row of shape [] or [1] is a scalar,
/// any other row a nested array. Numbers are written as the v2 JSON writer writes them (FP32 in shortest
/// round-trip form, NaN and infinities as strings); BYTES are strings when valid UTF-8, else <c>{"b64": "..."}</c>.
/// </summary>
internal static class PredictResponseWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Serializes the response.</summary>
    /// <param name="response">The facade's response.</param>
    /// <param name="instances">Instances in the request.</param>
    /// <param name="batched">Whether the model batches: outputs then carry a leading instance dimension.</param>
    public static RestReply Write(InferenceResponse response, int instances, bool batched)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", response.ModelName);
            writer.WriteString("model_version", response.ModelVersion);
            writer.WriteStartArray("predictions");
            var elements = response.Outputs.Select(Elements).ToArray();
            var rows = batched ? instances : 1;
            for (var row = 0; row < rows; row++)
            {
                writer.WriteStartObject();
                for (var o = 0; o < response.Outputs.Count; o++)
                {
                    var output = response.Outputs[o];
                    writer.WritePropertyName(output.Name);
                    WriteRow(writer, output, elements[o], row, batched, instances);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return RestReply.Json(200, buffer.WrittenMemory);
    }

    // BYTES elements are split once per output; fixed-size outputs need no split.
    private static ReadOnlyMemory<byte>[]? Elements(InferenceTensor output) =>
        output.DataType == DataType.Bytes ? BytesTensor.Split(output.Data) : null;

    private static void WriteRow(Utf8JsonWriter writer, InferenceTensor output, ReadOnlyMemory<byte>[]? bytes, int row, bool batched, int instances)
    {
        ReadOnlySpan<long> shape = output.Shape;
        if (batched)
        {
            if (shape.Length == 0 || shape[0] != instances)
            {
                throw new InferenceException(InferenceErrorKind.Internal, $"output '{output.Name}' has shape {TensorShape.Format(shape)}, not one row per instance");
            }

            shape = shape[1..];
        }

        TensorShape.TryGetElementCount(shape, out var perRow);
        var first = row * perRow;
        if (shape.Length == 0 || (shape.Length == 1 && shape[0] == 1))
        {
            WriteElement(writer, output, bytes, first);
            return;
        }

        var index = first;
        WriteNested(writer, output, bytes, shape, ref index);
    }

    private static void WriteNested(Utf8JsonWriter writer, InferenceTensor output, ReadOnlyMemory<byte>[]? bytes, ReadOnlySpan<long> shape, ref long index)
    {
        writer.WriteStartArray();
        for (long i = 0; i < shape[0]; i++)
        {
            if (shape.Length == 1)
            {
                WriteElement(writer, output, bytes, index++);
            }
            else
            {
                WriteNested(writer, output, bytes, shape[1..], ref index);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter writer, InferenceTensor output, ReadOnlyMemory<byte>[]? bytes, long index)
    {
        if (bytes is not null)
        {
            WriteBytes(writer, bytes[index].Span);
            return;
        }

        var size = output.DataType.ElementSize();
        if (!InferResponseWriter.TryWriteElement(writer, output.DataType, output.Data.Span.Slice((int)(index * size), size)))
        {
            throw new InferenceException(InferenceErrorKind.Internal, $"output '{output.Name}' has no JSON form");
        }
    }

    private static void WriteBytes(Utf8JsonWriter writer, ReadOnlySpan<byte> value)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            writer.WriteStartObject();
            writer.WriteBase64String(PredictScalars.Base64Key, value);
            writer.WriteEndObject();
            return;
        }

        writer.WriteStringValue(text);
    }
}

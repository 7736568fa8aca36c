using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Writes an <see cref="InferenceResponse"/> as <c>$inference_response</c> JSON, with binary outputs appended after
/// the JSON (protocol.md §4, §6).
/// </summary>
/// <remarks>
/// Policies, chosen so that every body parses and JSON and binary carry identical values:
/// <list type="bullet">
/// <item>FP32/FP64 are written in shortest round-trip form ("R"), so parsing the text back gives the same bits.</item>
/// <item>JSON has no NaN or Infinity literal; those values are written as the strings "NaN", "Infinity" and
/// "-Infinity" (the same strings the request reader accepts), so the body still parses (bad-inputs.md row 13).</item>
/// <item>FP16 and BF16 have no JSON form: those outputs are always sent binary.</item>
/// <item>A BYTES output that is not valid UTF-8 cannot be a JSON string without losing bytes, so the request fails
/// with 400 asking for <c>binary_data: true</c> rather than silently replacing bytes.</item>
/// </list>
/// </remarks>
internal static class InferResponseWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether outputs default to binary: the request's <c>binary_data_output</c> parameter.</summary>
    public static bool BinaryByDefault(InferenceRequest request) =>
        request.Parameters.TryGetValue(InferRequestReader.BinaryDataOutput, out var value) && value.TryGetBool(out var binary) && binary;

    /// <summary>Serializes the response. Ownership: binary parts are the outputs' own memory (no copy).</summary>
    public static RestReply Write(InferenceResponse response, bool binaryByDefault)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var tail = new List<ReadOnlyMemory<byte>>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", response.ModelName);
            writer.WriteString("model_version", response.ModelVersion);
            if (response.Id is not null)
            {
                writer.WriteString("id", response.Id);
            }

            writer.WriteStartArray("outputs");
            for (var i = 0; i < response.Outputs.Count; i++)
            {
                var output = response.Outputs[i];
                var request = i < response.OutputRequests.Count ? response.OutputRequests[i] : null;
                var binary = IsBinary(output.DataType, request, binaryByDefault);
                WriteOutput(writer, output, binary);
                if (binary)
                {
                    tail.Add(output.Data);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (tail.Count == 0)
        {
            return RestReply.Json(200, buffer.WrittenMemory);
        }

        return new RestReply
        {
            Status = 200,
            ContentType = RestReply.BinaryContentType,
            Body = buffer.WrittenMemory,
            Tail = tail,
            Headers = [new(InferRequestReader.HeaderLengthHeader, buffer.WrittenCount.ToString(CultureInfo.InvariantCulture))],
        };
    }

    private static bool IsBinary(DataType type, RequestedOutput? request, bool binaryByDefault)
    {
        if (type is DataType.Fp16 or DataType.Bf16)
        {
            return true;
        }

        return request is not null && request.Parameters.TryGetValue("binary_data", out var value) && value.TryGetBool(out var binary)
            ? binary
            : binaryByDefault;
    }

    private static void WriteOutput(Utf8JsonWriter writer, InferenceTensor output, bool binary)
    {
        writer.WriteStartObject();
        RestJson.WriteTensorHeader(writer, output.Name, output.DataType, output.Shape);
        if (binary)
        {
            writer.WriteStartObject("parameters");
            writer.WriteNumber(InferRequestReader.BinaryDataSize, output.Data.Length);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartArray("data");
            WriteData(writer, output);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, InferenceTensor output)
    {
        var data = output.Data.Span;
        var size = output.DataType.ElementSize();
        if (output.DataType == DataType.Bytes)
        {
            WriteBytes(writer, output);
            return;
        }

        if (data.Length % size != 0)
        {
            throw new InvalidOperationException("output buffer length is not a multiple of the element size");
        }

        // FP16 and BF16 have no JSON form in the v2 protocol (they travel binary); the predict route writes them as numbers.
        if (output.DataType is DataType.Fp16 or DataType.Bf16)
        {
            throw new InvalidOperationException("datatype has no JSON form");
        }

        for (var offset = 0; offset < data.Length; offset += size)
        {
            if (!TryWriteElement(writer, output.DataType, data[offset..]))
            {
                throw new InvalidOperationException("datatype has no JSON form");
            }
        }
    }

    /// <summary>Writes one numeric or BOOL element as a JSON value; false for BYTES.</summary>
    internal static bool TryWriteElement(Utf8JsonWriter writer, DataType type, ReadOnlySpan<byte> element)
    {
        switch (type)
        {
            case DataType.Bool: writer.WriteBooleanValue(element[0] != 0); break;
            case DataType.UInt8: writer.WriteNumberValue(element[0]); break;
            case DataType.Int8: writer.WriteNumberValue(unchecked((sbyte)element[0])); break;
            case DataType.UInt16: writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(element)); break;
            case DataType.Int16: writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(element)); break;
            case DataType.UInt32: writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(element)); break;
            case DataType.Int32: writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(element)); break;
            case DataType.UInt64: writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(element)); break;
            case DataType.Int64: writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(element)); break;
            case DataType.Fp16: WriteSingle(writer, (float)BinaryPrimitives.ReadHalfLittleEndian(element)); break;
            case DataType.Bf16: WriteSingle(writer, BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(element) << 16)); break;
            case DataType.Fp32: WriteSingle(writer, BinaryPrimitives.ReadSingleLittleEndian(element)); break;
            case DataType.Fp64: WriteDouble(writer, BinaryPrimitives.ReadDoubleLittleEndian(element)); break;
            default: return false;
        }

        return true;
    }

    internal static void WriteSingle(Utf8JsonWriter writer, float value)
    {
        if (!float.IsFinite(value))
        {
            writer.WriteStringValue(NonFiniteName(value));
            return;
        }

        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture);
        writer.WriteRawValue(text[..written], skipInputValidation: true);
    }

    internal static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (!double.IsFinite(value))
        {
            writer.WriteStringValue(NonFiniteName(value));
            return;
        }

        Span<byte> text = stackalloc byte[32];
        value.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture);
        writer.WriteRawValue(text[..written], skipInputValidation: true);
    }

    private static string NonFiniteName(double value) =>
        double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    private static void WriteBytes(Utf8JsonWriter writer, InferenceTensor output)
    {
        if (!BytesTensor.TryCountElements(output.Data.Span, out _))
        {
            throw new InvalidOperationException("BYTES output is not length-prefixed correctly");
        }

        foreach (var element in BytesTensor.Split(output.Data))
        {
            string text;
            try
            {
                text = StrictUtf8.GetString(element.Span);
            }
            catch (DecoderFallbackException)
            {
                throw InferenceException.Invalid(
                    $"output '{output.Name}' holds bytes that are not valid UTF-8; request it with \"binary_data\": true");
            }

            writer.WriteStringValue(text);
        }
    }
}

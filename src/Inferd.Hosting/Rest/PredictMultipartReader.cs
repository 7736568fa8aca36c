using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Reads a <c>multipart/form-data</c> prediction body as one instance: each part is a field named by its
/// Content-Disposition name. A file part (one with a filename) is raw bytes for a BYTES input; a text part is UTF-8
/// text for a BYTES input and is read like a JSON value for other inputs, so <c>42</c>, <c>true</c> and
/// <c>[1, 2]</c> work and anything else counts as a string.
/// </summary>
internal static class PredictMultipartReader
{
    // RFC 2046: a boundary is 1 to 70 characters.
    private const int MaxBoundaryLength = 70;

    /// <summary>The fields of the one instance.</summary>
    /// <param name="body">The whole body, already read under the size cap.</param>
    /// <param name="contentType">The Content-Type header carrying the boundary.</param>
    /// <param name="metadata">The model's metadata, for names and datatypes.</param>
    /// <param name="limits">Request limits.</param>
    /// <param name="documents">Receives the JSON documents of text parts. Ownership: the caller disposes them.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    public static async Task<Dictionary<string, PredictField>> ReadAsync(
        ReadOnlyMemory<byte> body,
        string contentType,
        ModelMetadata metadata,
        RequestLimits limits,
        List<JsonDocument> documents,
        CancellationToken cancellationToken)
    {
        var boundary = MediaTypeHeaderValue.TryParse(contentType, out var media) ? HeaderUtilities.RemoveQuotes(media.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > MaxBoundaryLength)
        {
            throw InferenceException.Invalid("a multipart/form-data body needs a boundary of 1 to 70 characters");
        }

        var fields = new Dictionary<string, PredictField>(StringComparer.Ordinal);
        var array = MemoryMarshal.TryGetArray(body, out var segment) ? segment : new ArraySegment<byte>(body.ToArray());
        using var stream = new MemoryStream(array.Array!, array.Offset, array.Count, writable: false);
        var reader = new MultipartReader(boundary, stream) { BodyLengthLimit = body.Length };
        try
        {
            for (var section = await reader.ReadNextSectionAsync(cancellationToken); section is not null; section = await reader.ReadNextSectionAsync(cancellationToken))
            {
                if (fields.Count >= limits.MaxInputsPerRequest)
                {
                    throw InferenceException.Invalid($"more than {limits.MaxInputsPerRequest} parts");
                }

                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw InferenceException.Invalid("each part needs a Content-Disposition: form-data header with a name");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (string.IsNullOrEmpty(name))
                {
                    throw InferenceException.Invalid("each part needs a Content-Disposition: form-data header with a name");
                }

                var input = metadata.Inputs.FirstOrDefault(i => i.Name == name)
                    ?? throw InferenceException.Invalid($"instance 0: unknown field '{PredictTensorBuilder.Clip(name)}'; the model's inputs are {PredictRequestReader.InputNames(metadata)}");
                using var copy = new MemoryStream();
                await section.Body.CopyToAsync(copy, cancellationToken);
                var bytes = copy.ToArray();
                var field = disposition.IsFileDisposition() || input.DataType == DataType.Bytes
                    ? PredictField.FromBytes(bytes)
                    : TextField(bytes, name, limits, documents);
                if (!fields.TryAdd(name, field))
                {
                    throw InferenceException.Invalid($"instance 0: field '{PredictTensorBuilder.Clip(name)}' appears more than once");
                }
            }
        }
        catch (IOException)
        {
            // MultipartReader's messages describe the body; the client only needs to know it is malformed.
            throw InferenceException.Invalid("the multipart/form-data body is malformed");
        }
        catch (InvalidDataException)
        {
            throw InferenceException.Invalid("the multipart/form-data body is malformed");
        }

        return fields;
    }

    // A text part for a non-BYTES input: JSON when it parses (42, true, [1,2]), else the text as a JSON string.
    private static PredictField TextField(byte[] bytes, string name, RequestLimits limits, List<JsonDocument> documents)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = limits.MaxJsonDepth });
        }
        catch (JsonException)
        {
            string text;
            try
            {
                text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw InferenceException.Invalid($"instance 0: field '{PredictTensorBuilder.Clip(name)}' is not valid UTF-8 text");
            }

            var quoted = new ArrayBufferWriter<byte>(bytes.Length + 16);
            using (var writer = new Utf8JsonWriter(quoted))
            {
                writer.WriteStringValue(text.Trim());
            }

            document = JsonDocument.Parse(quoted.WrittenMemory);
        }

        documents.Add(document);
        return PredictField.FromJson(document.RootElement);
    }
}

using System.Buffers;
using Inferd.Abstractions.Inference;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Inferd.Hosting.Rest;

/// <summary>Reads request bodies under the configured size limit (bad-inputs.md rows 7–10).</summary>
internal static class RestBody
{
    /// <summary>
    /// Reads the whole body into an exact-size array. Refuses compressed bodies (415) and bodies beyond
    /// <paramref name="limit"/> (413), whether declared by Content-Length or discovered while reading chunks.
    /// </summary>
    /// <remarks>
    /// The array is not pooled: binary input tensors are slices of it and the backend may hold them until the
    /// response is written, so a pooled buffer would need an owner that outlives the facade call.
    /// </remarks>
    public static async Task<byte[]> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        var request = context.Request;
        foreach (var encoding in request.Headers.ContentEncoding)
        {
            if (!string.IsNullOrWhiteSpace(encoding) && !string.Equals(encoding.Trim(), "identity", StringComparison.OrdinalIgnoreCase))
            {
                throw new RestStatusException(StatusCodes.Status415UnsupportedMediaType,
                    "Content-Encoding is not supported; send the request body uncompressed");
            }
        }

        limit = Math.Min(limit, Array.MaxLength);
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        if (request.ContentLength is { } declared)
        {
            if (declared > limit)
            {
                throw TooLarge(limit);
            }

            var body = GC.AllocateUninitializedArray<byte>((int)declared);
            try
            {
                await request.Body.ReadExactlyAsync(body, cancellationToken);
            }
            catch (EndOfStreamException)
            {
                throw InferenceException.Invalid("the request body is shorter than Content-Length");
            }

            return body;
        }

        return await ReadChunkedAsync(request, limit, cancellationToken);
    }

    private static async Task<byte[]> ReadChunkedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.End);
                throw TooLarge(limit);
            }

            if (result.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            // Consume nothing, examine everything: the next read returns the whole body so far plus new data.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static InferenceException TooLarge(long limit) =>
        new(InferenceErrorKind.PayloadTooLarge, $"the request body is larger than {limit} bytes");
}

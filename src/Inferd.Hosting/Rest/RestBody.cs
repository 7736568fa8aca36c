using System.Buffers;
using Inferd.Abstractions.Inference;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Inferd.Hosting.Rest;

/// <summary>Reads request bodies under the configured size limit (bad-inputs.md rows 7–10).</summary>
internal static class RestBody
{
    /// <summary>
    /// Reads the whole body into a buffer rented from <see cref="ArrayPool{T}.Shared"/>. Refuses compressed bodies
    /// (415) and bodies beyond <paramref name="limit"/> (413), whether declared by Content-Length or discovered while
    /// reading chunks.
    /// </summary>
    /// <remarks>
    /// Binary input tensors are slices of the buffer, so the caller disposes it only after the facade call has
    /// returned (outputs never alias inputs: the backend copies them out of ONNX Runtime). Pooling keeps a large
    /// binary body (a 602 KB image) off the large object heap on every request.
    /// </remarks>
    public static async Task<PooledBody> ReadAsync(HttpContext context, long limit, CancellationToken cancellationToken)
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

            var body = new PooledBody((int)declared);
            try
            {
                await request.Body.ReadExactlyAsync(body.Array.AsMemory(0, body.Length), cancellationToken);
            }
            catch (EndOfStreamException)
            {
                body.Dispose();
                throw InferenceException.Invalid("the request body is shorter than Content-Length");
            }
            catch
            {
                body.Dispose();
                throw;
            }

            return body;
        }

        return await ReadChunkedAsync(request, limit, cancellationToken);
    }

    private static async Task<PooledBody> ReadChunkedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
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
                var body = new PooledBody((int)buffer.Length);
                buffer.CopyTo(body.Array);
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

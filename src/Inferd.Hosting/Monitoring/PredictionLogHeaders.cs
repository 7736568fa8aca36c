using Grpc.Core;
using Inferd.Abstractions.Inference;
using Inferd.Hosting.Rest;
using Microsoft.AspNetCore.Http;

namespace Inferd.Hosting.Monitoring;

/// <summary>
/// The caller and request-id headers of inference requests: <c>inferd-caller</c> (HTTP header or gRPC metadata) names
/// who asked and is kept in the prediction log; <c>inferd-request-id</c> on REST answers carries the id to send
/// feedback or a deletion request for.
/// </summary>
internal static class PredictionLogHeaders
{
    /// <summary>The caller header and gRPC metadata key.</summary>
    public const string Caller = "inferd-caller";

    /// <summary>The response header with the request id.</summary>
    public const string RequestId = "inferd-request-id";

    /// <summary>Longest caller accepted; a name, an account or a service id, not a document.</summary>
    public const int MaxCallerLength = 256;

    /// <summary>The caller of a REST request, or null when the header is absent or empty.</summary>
    /// <exception cref="InferenceException">The header repeats, is too long or has control characters (400).</exception>
    public static string? ReadCaller(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Request.Headers[Caller];
        return values.Count switch
        {
            0 => null,
            1 => Validate(values[0]),
            _ => throw InferenceException.Invalid($"the {Caller} header must appear once"),
        };
    }

    /// <summary>The caller of a gRPC call, or null.</summary>
    /// <exception cref="InferenceException">The key repeats, is too long or has control characters (INVALID_ARGUMENT).</exception>
    public static string? ReadCaller(Metadata headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        string? found = null;
        var seen = 0;
        foreach (var entry in headers)
        {
            // gRPC metadata keys arrive lower-cased.
            if (!entry.IsBinary && entry.Key == Caller)
            {
                found = entry.Value;
                seen++;
            }
        }

        return seen > 1 ? throw InferenceException.Invalid($"the {Caller} metadata must appear once") : Validate(found);
    }

    /// <summary>The reply with an <c>inferd-request-id</c> header, when there is an id a header can carry.</summary>
    public static RestReply WithRequestId(RestReply reply, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(reply);
        // Kestrel refuses non-ASCII and control characters in header values; such an id stays in the body only.
        if (string.IsNullOrEmpty(requestId) || requestId.Length > 1024 || requestId.Any(c => c is < ' ' or > '~'))
        {
            return reply;
        }

        return new RestReply
        {
            Status = reply.Status,
            ContentType = reply.ContentType,
            Body = reply.Body,
            Tail = reply.Tail,
            Headers = [.. reply.Headers, new(RequestId, requestId)],
        };
    }

    private static string? Validate(string? value)
    {
        var caller = value?.Trim();
        if (string.IsNullOrEmpty(caller))
        {
            return null;
        }

        if (caller.Length > MaxCallerLength)
        {
            throw InferenceException.Invalid($"the {Caller} header must be at most {MaxCallerLength} characters");
        }

        return caller.Any(char.IsControl)
            ? throw InferenceException.Invalid($"the {Caller} header must not contain control characters")
            : caller;
    }
}

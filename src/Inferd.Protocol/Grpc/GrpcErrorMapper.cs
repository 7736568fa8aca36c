using Grpc.Core;
using Inferd.Abstractions.Inference;

namespace Inferd.Protocol.Grpc;

/// <summary>The one mapping of <see cref="InferenceErrorKind"/> onto gRPC status codes (protocol.md §8).</summary>
public static class GrpcErrorMapper
{
    /// <summary>Returns the gRPC status code for an error kind.</summary>
    public static StatusCode ToStatusCode(this InferenceErrorKind kind) => kind switch
    {
        InferenceErrorKind.InvalidInput => StatusCode.InvalidArgument,
        InferenceErrorKind.PayloadTooLarge => StatusCode.ResourceExhausted,
        InferenceErrorKind.ModelNotFound => StatusCode.NotFound,
        InferenceErrorKind.ModelNotReady => StatusCode.Unavailable,
        // Queue full: UNAVAILABLE, as Triton answers, so clients retry it like a model that is not ready.
        InferenceErrorKind.Overloaded => StatusCode.Unavailable,
        InferenceErrorKind.DeadlineExceeded => StatusCode.DeadlineExceeded,
        InferenceErrorKind.Cancelled => StatusCode.Cancelled,
        InferenceErrorKind.Unsupported => StatusCode.Unimplemented,
        InferenceErrorKind.Forbidden => StatusCode.PermissionDenied,
        _ => StatusCode.Internal,
    };

    /// <summary>
    /// Turns an error into the status a client sees. The message is already client-safe and length-capped by
    /// <see cref="InferenceException"/>; the inner exception is never exposed.
    /// </summary>
    public static RpcException ToRpcException(this InferenceException exception) =>
        new(new Status(exception.Kind.ToStatusCode(), exception.Message));
}

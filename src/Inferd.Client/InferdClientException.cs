using System.Net;
using Grpc.Core;

namespace Inferd.Client;

/// <summary>
/// A call to an Inferd (or any Open Inference Protocol) server failed: the server answered with an error, could
/// not be reached, or sent something the client could not decode.
/// </summary>
public sealed class InferdClientException : Exception
{
    /// <summary>Creates an exception without a protocol status (transport or decode failure).</summary>
    public InferdClientException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a non-200 REST answer.</summary>
    public InferdClientException(HttpStatusCode statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        HttpStatusCode = statusCode;
    }

    /// <summary>Creates an exception for a failed gRPC call.</summary>
    public InferdClientException(StatusCode grpcStatusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        GrpcStatusCode = grpcStatusCode;
    }

    /// <summary>The REST status code, when the failure came from a REST answer.</summary>
    public HttpStatusCode? HttpStatusCode { get; }

    /// <summary>The gRPC status code, when the failure came from a gRPC call.</summary>
    public StatusCode? GrpcStatusCode { get; }
}

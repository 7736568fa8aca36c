using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Grpc;

/// <summary>Source-generated log messages of the gRPC adapter (event ids 4100-4199).</summary>
internal static partial class GrpcLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Error, Message = "Unexpected error in a ModelStreamInfer request (request id {RequestId})")]
    public static partial void StreamRequestFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Error, Message = "Unexpected error in gRPC method {Method}")]
    public static partial void UnexpectedError(ILogger logger, string method, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Rest;

/// <summary>Source-generated log messages of the REST adapter (event ids 3000–3099).</summary>
internal static partial class RestLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    public static partial void Unhandled(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Client went away during {Method} {Path}")]
    public static partial void ClientGone(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Internal inference error on {Method} {Path}")]
    public static partial void InternalError(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Response to {Method} {Path} failed after it started")]
    public static partial void WriteFailed(ILogger logger, string method, string path, Exception exception);
}

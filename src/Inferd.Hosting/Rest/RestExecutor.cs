using Inferd.Abstractions.Inference;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Rest;

/// <summary>
/// Runs every REST handler and is the only place where failures become HTTP answers (style.md principle 12):
/// the <see cref="InferenceErrorKind"/> → status table of protocol.md §8 lives in <see cref="ToStatus"/>.
/// </summary>
internal static class RestExecutor
{
    /// <summary>Status for a client that closed the connection (nginx's convention); rarely seen by anyone.</summary>
    public const int ClientClosedRequest = 499;

    private const string LoggerName = "Inferd.Hosting.Rest";

    /// <summary>Turns a handler into a request delegate with the error mapping applied.</summary>
    public static RequestDelegate Wrap(Func<HttpContext, Task<RestReply>> handler) => context => RunAsync(context, handler);

    /// <summary>The HTTP status of each error kind.</summary>
    public static int ToStatus(InferenceErrorKind kind) => kind switch
    {
        InferenceErrorKind.InvalidInput => StatusCodes.Status400BadRequest,
        InferenceErrorKind.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        InferenceErrorKind.ModelNotFound => StatusCodes.Status404NotFound,
        InferenceErrorKind.ModelNotReady => StatusCodes.Status503ServiceUnavailable,
        InferenceErrorKind.Overloaded => StatusCodes.Status503ServiceUnavailable,
        InferenceErrorKind.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        InferenceErrorKind.Cancelled => ClientClosedRequest,
        InferenceErrorKind.Unsupported => StatusCodes.Status501NotImplemented,
        InferenceErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The error reply for an exception; logs what must not reach the client.</summary>
    internal static RestReply ToReply(HttpContext context, Exception exception)
    {
        switch (exception)
        {
            case InferenceException { Kind: InferenceErrorKind.Internal } internalError:
                Log(context, LogLevel.Warning, (logger, method, path) => RestLog.InternalError(logger, method, path, internalError));
                return Error(StatusCodes.Status500InternalServerError, "internal error");
            case InferenceException error:
                var reply = Error(ToStatus(error.Kind), error.Message);
                return error.Kind is InferenceErrorKind.ModelNotReady or InferenceErrorKind.Overloaded
                    ? new RestReply { Status = reply.Status, ContentType = reply.ContentType, Body = reply.Body, Headers = [new("Retry-After", "1")] }
                    : reply;
            case RestStatusException status:
                return Error(status.Status, status.Message);
            case BadHttpRequestException bad:
                // Kestrel's own checks: body over MaxRequestBodySize (413), malformed framing, slow client (408).
                return Error(bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "the request body is too large" : "bad request");
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                Log(context, LogLevel.Debug, static (logger, method, path) => RestLog.ClientGone(logger, method, path));
                return Error(ClientClosedRequest, "the request was cancelled");
            default:
                Log(context, LogLevel.Error, (logger, method, path) => RestLog.Unhandled(logger, method, path, exception));
                return Error(StatusCodes.Status500InternalServerError, "internal error");
        }
    }

    private static RestReply Error(int status, string message) => RestReply.Json(status, RestJson.Error(message));

    private static async Task RunAsync(HttpContext context, Func<HttpContext, Task<RestReply>> handler)
    {
        RestReply reply;
        try
        {
            reply = await handler(context);
        }
        catch (Exception exception)
        {
            reply = ToReply(context, exception);
        }

        if (context.RequestAborted.IsCancellationRequested || context.Response.HasStarted)
        {
            return;
        }

        try
        {
            await WriteAsync(context.Response, reply, context.RequestAborted);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            Log(context, LogLevel.Debug, (logger, method, path) => RestLog.WriteFailed(logger, method, path, exception));
        }
    }

    private static async Task WriteAsync(HttpResponse response, RestReply reply, CancellationToken cancellationToken)
    {
        response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentLength = reply.ContentLength;
        if (reply.ContentType is not null)
        {
            // Set verbatim: exactly "application/json", no charset (the KServe SDK compares for equality).
            response.ContentType = reply.ContentType;
        }

        if (reply.Body.Length > 0)
        {
            await response.Body.WriteAsync(reply.Body, cancellationToken);
        }

        foreach (var part in reply.Tail)
        {
            await response.Body.WriteAsync(part, cancellationToken);
        }
    }

    private static void Log(HttpContext context, LogLevel level, Action<ILogger, string, string> write)
    {
        // RequestServices is null only outside a host (unit tests without DI).
        var services = (IServiceProvider?)context.RequestServices;
        var logger = services?.GetService<ILoggerFactory>()?.CreateLogger(LoggerName);
        if (logger is not null && logger.IsEnabled(level))
        {
            write(logger, context.Request.Method, context.Request.Path.Value ?? "");
        }
    }
}

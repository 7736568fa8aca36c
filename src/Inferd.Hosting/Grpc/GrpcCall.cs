using Grpc.Core;
using Inferd.Abstractions.Inference;
using Inferd.Protocol.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Grpc;

/// <summary>Runs one rpc body and turns the taxonomy's errors into gRPC statuses, in one place.</summary>
internal static class GrpcCall
{
    /// <summary>Runs <paramref name="body"/>; an <see cref="InferenceException"/> becomes its mapped status.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> body, ServerCallContext context)
    {
        try
        {
            return await body();
        }
        catch (InferenceException ex)
        {
            throw ex.ToRpcException();
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw CancelledStatus(context);
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            // Anything outside the taxonomy is INTERNAL with a generic message; the details go to the log only.
            var logger = context.GetHttpContext().RequestServices.GetService<ILoggerFactory>()?.CreateLogger("Inferd.Hosting.Grpc");
            if (logger is not null)
            {
                GrpcLog.UnexpectedError(logger, context.Method, ex);
            }

            throw InternalError();
        }
    }

    /// <summary>Runs a synchronous body; an <see cref="InferenceException"/> becomes its mapped status.</summary>
    public static Task<T> Run<T>(Func<T> body)
    {
        try
        {
            return Task.FromResult(body());
        }
        catch (InferenceException ex)
        {
            throw ex.ToRpcException();
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            throw InternalError();
        }
    }

    /// <summary>The generic status for an unexpected failure.</summary>
    public static RpcException InternalError() =>
        new InferenceException(InferenceErrorKind.Internal, "internal error").ToRpcException();

    /// <summary>The status for work stopped by the call's token: the deadline passed, or the client cancelled.</summary>
    public static RpcException CancelledStatus(ServerCallContext context) =>
        context.Deadline <= DateTime.UtcNow
            ? new InferenceException(InferenceErrorKind.DeadlineExceeded, "the deadline passed before the request completed").ToRpcException()
            : new InferenceException(InferenceErrorKind.Cancelled, "the request was cancelled").ToRpcException();

    /// <summary>The status every deliberately unimplemented rpc answers.</summary>
    public static RpcException Unimplemented(string what) =>
        new InferenceException(InferenceErrorKind.Unsupported, $"{what} is not supported by this server").ToRpcException();

    /// <summary>An empty string on the wire means "not given".</summary>
    public static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

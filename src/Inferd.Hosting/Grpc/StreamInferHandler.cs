using Grpc.Core;
using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Inferd.Protocol.Grpc;
using Inferd.Protocol.V2;
using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Grpc;

/// <summary>
/// <c>ModelStreamInfer</c>: answers each request in order with a <see cref="ModelStreamInferResponse"/>. A failed
/// request sets <c>error_message</c> and the stream stays open, unless the client sent the header
/// <c>triton_grpc_error: true</c>; then the status is sent and the stream ends (protocol.md §8, §9.5).
/// </summary>
internal sealed class StreamInferHandler(IInferenceService inference, RequestLimits limits, ILogger<StreamInferHandler> logger)
{
    /// <summary>Header that switches errors from in-band messages to a terminating status.</summary>
    public const string TritonGrpcErrorHeader = "triton_grpc_error";

    private const string InternalMessage = "internal error";

    /// <summary>Processes requests sequentially until the client completes or cancels the stream.</summary>
    public async Task RunAsync(
        IAsyncStreamReader<ModelInferRequest> requests,
        IServerStreamWriter<ModelStreamInferResponse> responses,
        ServerCallContext context)
    {
        var statusOnError = UsesStatusErrors(context.RequestHeaders);
        var token = context.CancellationToken;
        try
        {
            while (await requests.MoveNext(token))
            {
                var request = requests.Current;
                ModelStreamInferResponse reply;
                try
                {
                    var result = await inference.InferAsync(request.ToCore(limits), token);
                    reply = new ModelStreamInferResponse { InferResponse = result.ToProto() };
                }
                catch (InferenceException ex) when (!statusOnError)
                {
                    reply = ErrorReply(request, ex.Message);
                }
                catch (Exception ex) when (!statusOnError && ex is not OperationCanceledException and not InferenceException)
                {
                    GrpcLog.StreamRequestFailed(logger, request.Id, ex);
                    reply = ErrorReply(request, InternalMessage);
                }

                await responses.WriteAsync(reply, token);
            }
        }
        catch (InferenceException ex)
        {
            throw ex.ToRpcException();
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw GrpcCall.CancelledStatus(context);
        }
        catch (Exception ex) when (ex is not RpcException and not OperationCanceledException)
        {
            GrpcLog.StreamRequestFailed(logger, "", ex);
            throw GrpcCall.InternalError();
        }
    }

    /// <summary>True when the client asked for a gRPC status instead of in-band error messages.</summary>
    internal static bool UsesStatusErrors(Metadata headers)
    {
        var value = headers.GetValue(TritonGrpcErrorHeader);
        return value is not null && value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
    }

    private static ModelStreamInferResponse ErrorReply(ModelInferRequest request, string message) => new()
    {
        ErrorMessage = message,
        InferResponse = new ModelInferResponse
        {
            ModelName = request.ModelName,
            ModelVersion = request.ModelVersion,
            Id = request.Id,
        },
    };
}

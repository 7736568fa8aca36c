using Grpc.Core;
using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Inferd.Hosting.Monitoring;
using Inferd.Protocol.Grpc;
using Inferd.Protocol.V2;
using static Inferd.Hosting.Grpc.GrpcCall;

namespace Inferd.Hosting.Grpc;

/// <summary>
/// <c>inference.GRPCInferenceService</c>: a thin adapter that translates messages and calls
/// <see cref="IInferenceService"/>. Shared memory, trace and log settings answer UNIMPLEMENTED.
/// </summary>
internal sealed class GrpcInferenceService(IInferenceService inference, RequestLimits limits, StreamInferHandler stream)
    : GRPCInferenceService.GRPCInferenceServiceBase
{
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = inference.IsLive });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = inference.IsReady });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ModelReadyResponse { Ready = inference.IsModelReady(request.Name, NullIfEmpty(request.Version)) });

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Run(() => inference.GetServerMetadata().ToProto());

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context) =>
        Run(() => inference.GetModelMetadata(request.Name, NullIfEmpty(request.Version)).ToProto());

    public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context) =>
        RunAsync(
            async () => (await inference.InferAsync(request.ToCore(limits) with { Caller = PredictionLogHeaders.ReadCaller(context.RequestHeaders) }, context.CancellationToken)).ToProto(),
            context);

    public override Task ModelStreamInfer(
        IAsyncStreamReader<ModelInferRequest> requestStream,
        IServerStreamWriter<ModelStreamInferResponse> responseStream,
        ServerCallContext context) =>
        stream.RunAsync(requestStream, responseStream, context);

    public override Task<ModelConfigResponse> ModelConfig(ModelConfigRequest request, ServerCallContext context) =>
        Run(() => new ModelConfigResponse { Config = inference.GetModelConfig(request.Name, NullIfEmpty(request.Version)).ToProto() });

    public override Task<ModelStatisticsResponse> ModelStatistics(ModelStatisticsRequest request, ServerCallContext context) =>
        Run(() => inference.GetStatistics(NullIfEmpty(request.Name), NullIfEmpty(request.Version)).ToProto());

    public override Task<RepositoryIndexResponse> RepositoryIndex(RepositoryIndexRequest request, ServerCallContext context) =>
        Run(() => inference.GetRepositoryIndex(request.Ready).ToProto());

    public override Task<RepositoryModelLoadResponse> RepositoryModelLoad(RepositoryModelLoadRequest request, ServerCallContext context) =>
        RunAsync(
            async () =>
            {
                var name = RepositoryParameterMapper.ResolveModelName(request.RepositoryName, request.ModelName);
                await inference.LoadModelAsync(name, RepositoryParameterMapper.ToCore(request.Parameters, limits), context.CancellationToken);
                return new RepositoryModelLoadResponse();
            },
            context);

    public override Task<RepositoryModelUnloadResponse> RepositoryModelUnload(RepositoryModelUnloadRequest request, ServerCallContext context) =>
        RunAsync(
            async () =>
            {
                var name = RepositoryParameterMapper.ResolveModelName(request.RepositoryName, request.ModelName);
                await inference.UnloadModelAsync(name, RepositoryParameterMapper.ToCore(request.Parameters, limits), context.CancellationToken);
                return new RepositoryModelUnloadResponse();
            },
            context);

    public override Task<SystemSharedMemoryStatusResponse> SystemSharedMemoryStatus(SystemSharedMemoryStatusRequest request, ServerCallContext context) =>
        throw Unimplemented("shared memory");

    public override Task<SystemSharedMemoryRegisterResponse> SystemSharedMemoryRegister(SystemSharedMemoryRegisterRequest request, ServerCallContext context) =>
        throw Unimplemented("shared memory");

    public override Task<SystemSharedMemoryUnregisterResponse> SystemSharedMemoryUnregister(SystemSharedMemoryUnregisterRequest request, ServerCallContext context) =>
        throw Unimplemented("shared memory");

    public override Task<CudaSharedMemoryStatusResponse> CudaSharedMemoryStatus(CudaSharedMemoryStatusRequest request, ServerCallContext context) =>
        throw Unimplemented("shared memory");

    public override Task<CudaSharedMemoryRegisterResponse> CudaSharedMemoryRegister(CudaSharedMemoryRegisterRequest request, ServerCallContext context) =>
        throw Unimplemented("shared memory");

    public override Task<CudaSharedMemoryUnregisterResponse> CudaSharedMemoryUnregister(CudaSharedMemoryUnregisterRequest request, ServerCallContext context) =>
        throw Unimplemented("shared memory");

    public override Task<TraceSettingResponse> TraceSetting(TraceSettingRequest request, ServerCallContext context) =>
        throw Unimplemented("trace settings");

    public override Task<LogSettingsResponse> LogSettings(LogSettingsRequest request, ServerCallContext context) =>
        throw Unimplemented("log settings");
}

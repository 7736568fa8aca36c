using Grpc.Net.Client;
using Inferd.Client;
using Inferd.Protocol.V2;

namespace Inferd.Cli.Bench;

/// <summary>
/// gRPC over one h2c channel (streams multiplexed, more connections when the server's stream limit is reached):
/// <c>ModelInfer</c> with a message built once per worker (raw or typed contents), or <c>ServerLive</c> as the no-op.
/// </summary>
internal sealed class GrpcBenchTarget : BenchTarget
{
    private static readonly ServerLiveRequest LiveRequest = new();

    private readonly GrpcChannel _channel;
    private readonly GRPCInferenceService.GRPCInferenceServiceClient _grpc;
    private readonly InferdGrpcClient _client;
    private readonly string _model;
    private readonly ClientInferRequest? _request;

    private GrpcBenchTarget(GrpcChannel channel, string model, ClientInferRequest? request, int itemsPerRequest)
    {
        _channel = channel;
        _grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        _client = new InferdGrpcClient(channel);
        _model = model;
        _request = request;
        ItemsPerRequest = itemsPerRequest;
    }

    public override int ItemsPerRequest { get; }

    public static async Task<GrpcBenchTarget> CreateAsync(BenchSettings settings, bool raw, CancellationToken cancellationToken)
    {
        var channel = GrpcChannel.ForAddress(settings.Address!, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = int.MaxValue,
            MaxSendMessageSize = int.MaxValue,
            HttpHandler = new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true },
        });
        try
        {
            if (settings.Noop)
            {
                return new GrpcBenchTarget(channel, settings.Model, null, 1);
            }

            using var client = new InferdGrpcClient(channel);
            var model = await ServerModel.LoadAsync(client, settings, cancellationToken).ConfigureAwait(false);
            return new GrpcBenchTarget(channel, settings.Model, new ClientInferRequest(settings.Model, model.Inputs) { Raw = raw }, model.ItemsPerRequest);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    public override BenchWorker CreateWorker() => _request is null ? new LiveWorker(_grpc) : new InferWorker(_grpc, InferdGrpcClient.ToModelInferRequest(_request));

    public override async Task<ServerStats?> ReadStatsAsync(CancellationToken cancellationToken) =>
        ServerStats.Parse(await _client.GetStatisticsJsonAsync(_model, null, cancellationToken).ConfigureAwait(false));

    public override ValueTask DisposeAsync()
    {
        _channel.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class InferWorker(GRPCInferenceService.GRPCInferenceServiceClient grpc, ModelInferRequest request) : BenchWorker
    {
        public override async ValueTask<bool> SendAsync(CancellationToken cancellationToken)
        {
            using var call = grpc.ModelInferAsync(request, cancellationToken: cancellationToken);
            await call.ResponseAsync.ConfigureAwait(false);
            return true;
        }
    }

    private sealed class LiveWorker(GRPCInferenceService.GRPCInferenceServiceClient grpc) : BenchWorker
    {
        public override async ValueTask<bool> SendAsync(CancellationToken cancellationToken)
        {
            using var call = grpc.ServerLiveAsync(LiveRequest, cancellationToken: cancellationToken);
            return (await call.ResponseAsync.ConfigureAwait(false)).Live;
        }
    }
}

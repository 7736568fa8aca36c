using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Client.Internal;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;

namespace Inferd.Client;

/// <summary>
/// Open Inference Protocol client over gRPC (<c>inference.GRPCInferenceService</c>, protocol.md §9). A failed call
/// becomes an <see cref="InferdClientException"/> carrying the gRPC status code and message.
/// </summary>
public sealed class InferdGrpcClient : IInferdClient
{
    // Triton's own clients use INT32_MAX both ways (protocol.md §9.4); grpc-dotnet's 4 MB default breaks large tensors.
    private const int MaxMessageBytes = int.MaxValue;

    private static readonly JsonFormatter ProtoJson = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true).WithFormatDefaultValues(true));

    private readonly GrpcChannel? _ownedChannel;
    private readonly string _target;
    private readonly GRPCInferenceService.GRPCInferenceServiceClient _client;

    /// <summary>Creates a client that owns its channel, e.g. for <c>http://127.0.0.1:8001</c> (plaintext h2c).</summary>
    public InferdGrpcClient(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _ownedChannel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
            ThrowOperationCanceledOnCancellation = true,
        });
        _client = new GRPCInferenceService.GRPCInferenceServiceClient(_ownedChannel);
        _target = address.ToString();
    }

    /// <summary>Creates a client over a caller-owned channel.</summary>
    public InferdGrpcClient(GrpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        _target = channel.Target;
    }

    /// <inheritdoc />
    public async Task<bool> IsServerLiveAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => _client.ServerLiveAsync(new ServerLiveRequest(), cancellationToken: cancellationToken)).ConfigureAwait(false)).Live;

    /// <inheritdoc />
    public async Task<bool> IsServerReadyAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => _client.ServerReadyAsync(new ServerReadyRequest(), cancellationToken: cancellationToken)).ConfigureAwait(false)).Ready;

    /// <inheritdoc />
    public async Task<bool> IsModelReadyAsync(string model, string? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        var request = new ModelReadyRequest { Name = model, Version = version ?? "" };
        return (await CallAsync(() => _client.ModelReadyAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false)).Ready;
    }

    /// <inheritdoc />
    public async Task<ServerMetadata> GetServerMetadataAsync(CancellationToken cancellationToken = default)
    {
        var r = await CallAsync(() => _client.ServerMetadataAsync(new ServerMetadataRequest(), cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new ServerMetadata(r.Name, r.Version, r.Extensions.ToArray());
    }

    /// <inheritdoc />
    public async Task<ClientModelMetadata> GetModelMetadataAsync(string model, string? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        var request = new ModelMetadataRequest { Name = model, Version = version ?? "" };
        var r = await CallAsync(() => _client.ModelMetadataAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new ClientModelMetadata(
            r.Name,
            r.Versions.ToArray(),
            r.Platform,
            r.Inputs.Select(t => new ClientTensorMetadata(t.Name, t.Datatype, t.Shape.ToArray())).ToArray(),
            r.Outputs.Select(t => new ClientTensorMetadata(t.Name, t.Datatype, t.Shape.ToArray())).ToArray());
    }

    /// <inheritdoc />
    public async Task<string> GetModelConfigJsonAsync(string model, string? version = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        var request = new ModelConfigRequest { Name = model, Version = version ?? "" };
        var r = await CallAsync(() => _client.ModelConfigAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ProtoJson.Format(r.Config ?? new ModelConfig());
    }

    /// <inheritdoc />
    public async Task<string> GetStatisticsJsonAsync(string? model = null, string? version = null, CancellationToken cancellationToken = default)
    {
        var request = new ModelStatisticsRequest { Name = model ?? "", Version = version ?? "" };
        var r = await CallAsync(() => _client.ModelStatisticsAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return ProtoJson.Format(r);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClientRepositoryEntry>> GetRepositoryIndexAsync(bool readyOnly = false, CancellationToken cancellationToken = default)
    {
        var request = new RepositoryIndexRequest { Ready = readyOnly };
        var r = await CallAsync(() => _client.RepositoryIndexAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return r.Models.Select(m => new ClientRepositoryEntry(m.Name, m.Version, m.State, m.Reason)).ToArray();
    }

    /// <inheritdoc />
    public async Task LoadModelAsync(string model, string? configJson = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        var request = new RepositoryModelLoadRequest { ModelName = model };
        if (configJson is not null)
        {
            request.Parameters["config"] = new ModelRepositoryParameter { StringParam = configJson };
        }

        await CallAsync(() => _client.RepositoryModelLoadAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task UnloadModelAsync(string model, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        var request = new RepositoryModelUnloadRequest { ModelName = model };
        request.Parameters["unload_dependents"] = new ModelRepositoryParameter { BoolParam = false };
        await CallAsync(() => _client.RepositoryModelUnloadAsync(request, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ClientInferResponse> InferAsync(ClientInferRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = ToModelInferRequest(request);
        var response = await CallAsync(() => _client.ModelInferAsync(message, cancellationToken: cancellationToken)).ConfigureAwait(false);
        try
        {
            return FromProto(response);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new InferdClientException("the server sent an answer that does not follow the protocol: " + e.Message, e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _ownedChannel?.Dispose();

    /// <summary>
    /// Builds the <c>ModelInferRequest</c> message <see cref="InferAsync"/> would send (raw or typed contents as
    /// <see cref="ClientInferRequest.Raw"/> says), so a caller that sends the same request many times can build it once.
    /// </summary>
    public static ModelInferRequest ToModelInferRequest(ClientInferRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = new ModelInferRequest
        {
            ModelName = request.ModelName,
            ModelVersion = request.ModelVersion ?? "",
            Id = request.Id ?? "",
        };
        foreach (var (key, value) in request.Parameters)
        {
            message.Parameters[key] = ToParameter(key, value);
        }

        // Raw and typed contents may not be mixed (protocol.md §9.4), and FP16/BF16 exist only raw.
        var raw = request.Raw || request.Inputs.Any(i => !GrpcTensorContents.HasTypedForm(i.DataType));
        foreach (var input in request.Inputs)
        {
            var tensor = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = input.DataType.ToWireName() };
            tensor.Shape.AddRange(input.Shape);
            if (raw)
            {
                message.RawInputContents.Add(ByteString.CopyFrom(input.Data.Span));
            }
            else
            {
                tensor.Contents = GrpcTensorContents.ToContents(input);
            }

            message.Inputs.Add(tensor);
        }

        foreach (var output in request.Outputs)
        {
            var requested = new ModelInferRequest.Types.InferRequestedOutputTensor { Name = output.Name };
            if (output.ClassificationCount is { } n)
            {
                requested.Parameters["classification"] = new InferParameter { Int64Param = n };
            }

            message.Outputs.Add(requested);
        }

        return message;
    }

    private static ClientInferResponse FromProto(ModelInferResponse response)
    {
        var outputs = new List<ClientTensor>(response.Outputs.Count);
        for (var i = 0; i < response.Outputs.Count; i++)
        {
            var o = response.Outputs[i];
            if (!DataTypes.TryParseWireName(o.Datatype, out var type))
            {
                throw new FormatException($"output '{o.Name}': unknown datatype '{o.Datatype}'");
            }

            var shape = o.Shape.ToArray();
            if (!TensorShape.TryGetElementCount(shape, out var count))
            {
                throw new FormatException($"output '{o.Name}': invalid shape {TensorShape.Format(shape)}");
            }

            // tritonclient's rule: raw entries match outputs by position; typed contents only when the raw list is shorter.
            ReadOnlyMemory<byte> data = i < response.RawOutputContents.Count
                ? response.RawOutputContents[i].Memory
                : GrpcTensorContents.FromContents(o.Contents ?? new InferTensorContents(), o.Name, type, count);
            outputs.Add(new ClientTensor(o.Name, type, shape, data));
        }

        var parameters = response.Parameters.ToDictionary(p => p.Key, p => FromParameter(p.Value));
        return new ClientInferResponse(response.ModelName, response.ModelVersion, response.Id, outputs, parameters);
    }

    private static InferParameter ToParameter(string key, object value) => value switch
    {
        string s => new InferParameter { StringParam = s },
        bool b => new InferParameter { BoolParam = b },
        int i => new InferParameter { Int64Param = i },
        long l => new InferParameter { Int64Param = l },
        ulong u => new InferParameter { Uint64Param = u },
        double d => new InferParameter { DoubleParam = d },
        _ => throw new ArgumentException($"parameter '{key}': {value.GetType().Name} is not a string, bool, integer or double"),
    };

    private static object FromParameter(InferParameter p) => p.ParameterChoiceCase switch
    {
        InferParameter.ParameterChoiceOneofCase.BoolParam => p.BoolParam,
        InferParameter.ParameterChoiceOneofCase.Int64Param => p.Int64Param,
        InferParameter.ParameterChoiceOneofCase.StringParam => p.StringParam,
        InferParameter.ParameterChoiceOneofCase.DoubleParam => p.DoubleParam,
        InferParameter.ParameterChoiceOneofCase.Uint64Param => p.Uint64Param,
        _ => "",
    };

    private async Task<T> CallAsync<T>(Func<AsyncUnaryCall<T>> call)
    {
        try
        {
            using var pending = call();
            return await pending.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            // A debug exception means the transport failed (no server answered); otherwise the detail is the server's message.
            var message = e.Status.DebugException is { } transport
                ? $"cannot reach the server at {_target}: {transport.Message}"
                : string.IsNullOrEmpty(e.Status.Detail) ? e.StatusCode.ToString() : e.Status.Detail;
            throw new InferdClientException(e.StatusCode, message, e);
        }
    }
}

using System.Net;
using System.Text.Json;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Jobs;
using Inferd.Client;

namespace Inferd.Batch.Scoring;

/// <summary>
/// Scores against a running server over REST (binary tensor extension) or gRPC (raw contents), whichever client it
/// is given. The server's own facade then batches and schedules the requests, as for any client.
/// </summary>
public sealed class RemoteScorer : IBatchScorer
{
    private readonly IInferdClient _client;

    private RemoteScorer(IInferdClient client, ScoringModel model)
    {
        _client = client;
        Model = model;
    }

    /// <inheritdoc />
    public ScoringModel Model { get; }

    /// <summary>Reads the model's metadata and configuration from the server. The scorer owns the client.</summary>
    /// <exception cref="BatchJobException">The server does not serve the model or answers something unusable.</exception>
    public static async Task<RemoteScorer> CreateAsync(IInferdClient client, string model, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ClientModelMetadata metadata;
        string configJson;
        try
        {
            metadata = await client.GetModelMetadataAsync(model, version, cancellationToken).ConfigureAwait(false);
            configJson = await client.GetModelConfigJsonAsync(model, version, cancellationToken).ConfigureAwait(false);
        }
        catch (InferdClientException e)
        {
            throw new BatchJobException($"model '{model}' cannot be used on the server: {e.Message}", e);
        }

        var (maxBatch, preferred, concurrency) = ReadConfig(configJson);
        var resolved = version is { Length: > 0 } ? version : metadata.Versions.Count > 0 ? metadata.Versions[^1] : "";
        return new RemoteScorer(client, new ScoringModel(
            model,
            resolved,
            metadata.Inputs.Select(ToSignature).ToArray(),
            metadata.Outputs.Select(ToSignature).ToArray(),
            maxBatch,
            ScoringModels.PreferredBatchSize(maxBatch, preferred),
            concurrency));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InferenceTensor>> ScoreAsync(IReadOnlyList<InferenceTensor> inputs, int rows, CancellationToken cancellationToken)
    {
        var request = new ClientInferRequest(Model.Name, inputs.Select(ClientTensor.FromInferenceTensor).ToArray())
        {
            ModelVersion = Model.Version.Length > 0 ? Model.Version : null,
        };
        try
        {
            var response = await _client.InferAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Outputs.Select(o => o.ToInferenceTensor()).ToArray();
        }
        catch (InferdClientException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BatchScoringException(e.Message, IsRetryable(e), IsRowFault(e), e);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool IsRowFault(InferdClientException e) =>
        e.HttpStatusCode == HttpStatusCode.BadRequest || e.GrpcStatusCode == Grpc.Core.StatusCode.InvalidArgument;

    // No status at all means the server could not be reached: worth retrying, as are a full queue and a loading model.
    private static bool IsRetryable(InferdClientException e) =>
        (e.HttpStatusCode is null && e.GrpcStatusCode is null)
        || e.HttpStatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.GatewayTimeout
        || e.GrpcStatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.ResourceExhausted or Grpc.Core.StatusCode.DeadlineExceeded;

    private static TensorSignature ToSignature(ClientTensorMetadata tensor) =>
        DataTypes.TryParseWireName(tensor.Datatype, out var type)
            ? new TensorSignature(tensor.Name, type, tensor.Shape)
            : throw new BatchJobException($"the server reports tensor '{tensor.Name}' with datatype '{tensor.Datatype}', which Inferd does not know");

    private static (int MaxBatch, IReadOnlyList<int> Preferred, int Concurrency) ReadConfig(string json)
    {
        // Both REST and gRPC return the config with the protocol's snake_case names (protocol.md §11.5).
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("config", out var inner))
        {
            root = inner;
        }

        var maxBatch = root.TryGetProperty("max_batch_size", out var m) && m.TryGetInt32(out var mb) ? mb : 0;
        var preferred = new List<int>();
        if (root.TryGetProperty("dynamic_batching", out var dynamic) && dynamic.ValueKind == JsonValueKind.Object
            && dynamic.TryGetProperty("preferred_batch_size", out var sizes) && sizes.ValueKind == JsonValueKind.Array)
        {
            preferred.AddRange(sizes.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Number).Select(s => s.GetInt32()));
        }

        var instances = 0;
        if (root.TryGetProperty("instance_group", out var groups) && groups.ValueKind == JsonValueKind.Array)
        {
            foreach (var group in groups.EnumerateArray())
            {
                instances += group.TryGetProperty("count", out var c) && c.TryGetInt32(out var n) ? n : 1;
            }
        }

        return (maxBatch, preferred, Math.Max(1, instances));
    }
}

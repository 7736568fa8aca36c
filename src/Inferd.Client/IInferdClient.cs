using Inferd.Abstractions.Models;

namespace Inferd.Client;

/// <summary>
/// A client for an Open Inference Protocol server (Inferd, Triton, KServe). <see cref="InferdRestClient"/> and
/// <see cref="InferdGrpcClient"/> implement it with the same meaning; every failure surfaces as
/// <see cref="InferdClientException"/>.
/// </summary>
public interface IInferdClient : IDisposable
{
    /// <summary>Whether the server is live.</summary>
    Task<bool> IsServerLiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether the server is ready for inference.</summary>
    Task<bool> IsServerReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether a model (or one version of it) is ready.</summary>
    Task<bool> IsModelReadyAsync(string model, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>Server name, version and extensions.</summary>
    Task<ServerMetadata> GetServerMetadataAsync(CancellationToken cancellationToken = default);

    /// <summary>Model metadata: versions, platform, input and output tensors.</summary>
    Task<ClientModelMetadata> GetModelMetadataAsync(string model, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The effective model configuration as JSON with the original snake_case field names (protocol.md §11.5). REST
    /// returns the server's text; gRPC formats the <c>ModelConfig</c> message, including default values.
    /// </summary>
    Task<string> GetModelConfigJsonAsync(string model, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>Statistics (protocol.md §7.3) as JSON: all models when <paramref name="model"/> is null.</summary>
    Task<string> GetStatisticsJsonAsync(string? model = null, string? version = null, CancellationToken cancellationToken = default);

    /// <summary>The repository index; only ready models when <paramref name="readyOnly"/> is true.</summary>
    Task<IReadOnlyList<ClientRepositoryEntry>> GetRepositoryIndexAsync(bool readyOnly = false, CancellationToken cancellationToken = default);

    /// <summary>Loads (or reloads) a model; <paramref name="configJson"/> optionally replaces its configuration.</summary>
    Task LoadModelAsync(string model, string? configJson = null, CancellationToken cancellationToken = default);

    /// <summary>Unloads a model.</summary>
    Task UnloadModelAsync(string model, CancellationToken cancellationToken = default);

    /// <summary>Runs an inference.</summary>
    Task<ClientInferResponse> InferAsync(ClientInferRequest request, CancellationToken cancellationToken = default);
}

using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;

namespace Inferd.Core.Inference;

/// <summary>
/// The single data- and control-plane facade. REST, gRPC, the CLI, the batch runner and the explainers call it;
/// protocol adapters only translate. Every method throws <see cref="InferenceException"/> for expected failures.
/// </summary>
public interface IInferenceService
{
    /// <summary>True while the process serves requests at all.</summary>
    bool IsLive { get; }

    /// <summary>True when the server is ready (with strict readiness: every model that should load did).</summary>
    bool IsReady { get; }

    /// <summary>Name, version and working extensions.</summary>
    ServerMetadata GetServerMetadata();

    /// <summary>Whether the model (and version, when given) is ready. Never throws for unknown names.</summary>
    bool IsModelReady(string modelName, string? version);

    /// <summary>Metadata of a ready model version. Throws ModelNotFound or ModelNotReady.</summary>
    ModelMetadata GetModelMetadata(string modelName, string? version);

    /// <summary>The effective (auto-completed) config of a model version.</summary>
    ModelConfig GetModelConfig(string modelName, string? version);

    /// <summary>
    /// The model card kept beside a model as <c>card.md</c>, with the metrics of its front matter. The model needs
    /// to be in the repository, not loaded. Throws ModelNotFound for an unknown model and for a model without a card.
    /// </summary>
    ModelCard GetModelCard(string modelName);

    /// <summary>Runs one inference request.</summary>
    /// <returns>The response. Ownership: output buffers belong to the response.</returns>
    Task<InferenceResponse> InferAsync(InferenceRequest request, CancellationToken cancellationToken);

    /// <summary>Statistics for all models (name null), all versions of a model, or one version.</summary>
    IReadOnlyList<ModelStatistics> GetStatistics(string? modelName, string? version);

    /// <summary>Every model in the repository with its state; only ready ones when <paramref name="readyOnly"/>.</summary>
    IReadOnlyList<RepositoryIndexEntry> GetRepositoryIndex(bool readyOnly);

    /// <summary>
    /// Loads or reloads a model (explicit model control). Parameters may carry <c>config</c> (a JSON ModelConfig);
    /// <c>file:</c> parameters are refused. A reload swaps atomically; a failed reload keeps the old version serving.
    /// </summary>
    Task LoadModelAsync(string modelName, IReadOnlyDictionary<string, ParameterValue> parameters, CancellationToken cancellationToken);

    /// <summary>Unloads a model; in-flight requests finish first, then native memory is released.</summary>
    Task UnloadModelAsync(string modelName, IReadOnlyDictionary<string, ParameterValue> parameters, CancellationToken cancellationToken);
}

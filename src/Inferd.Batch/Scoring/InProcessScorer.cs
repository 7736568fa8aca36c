using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Jobs;
using Inferd.Core.Inference;

namespace Inferd.Batch.Scoring;

/// <summary>
/// Scores through the in-process inference facade: the same validation, scheduler, dynamic batching and statistics
/// as a request over REST or gRPC, without a transport. The server's job API and <c>inferd batch</c> without
/// <c>--server</c> use it.
/// </summary>
public sealed class InProcessScorer : IBatchScorer
{
    private static readonly IReadOnlyDictionary<string, ParameterValue> NoParameters = new Dictionary<string, ParameterValue>();
    private readonly IInferenceService _service;

    private InProcessScorer(IInferenceService service, ScoringModel model)
    {
        _service = service;
        Model = model;
    }

    /// <inheritdoc />
    public ScoringModel Model { get; }

    /// <summary>Opens a scorer over a loaded model.</summary>
    /// <exception cref="BatchJobException">The model is unknown or not ready.</exception>
    public static InProcessScorer Create(IInferenceService service, string model, string? version)
    {
        ArgumentNullException.ThrowIfNull(service);
        try
        {
            var metadata = service.GetModelMetadata(model, version);
            var config = service.GetModelConfig(model, version);
            var resolved = version is { Length: > 0 } ? version : metadata.Versions.Count > 0 ? metadata.Versions[^1] : "";
            return new InProcessScorer(service, new ScoringModel(
                model,
                resolved,
                metadata.Inputs,
                metadata.Outputs,
                config.MaxBatchSize,
                ScoringModels.PreferredBatchSize(config.MaxBatchSize, config.DynamicBatching?.PreferredBatchSizes),
                ScoringModels.Concurrency(config.InstanceGroups)));
        }
        catch (InferenceException e)
        {
            throw new BatchJobException($"model '{model}' cannot be used: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InferenceTensor>> ScoreAsync(IReadOnlyList<InferenceTensor> inputs, int rows, CancellationToken cancellationToken)
    {
        var request = new InferenceRequest(Model.Name, Model.Version, null, inputs, [], NoParameters);
        try
        {
            var response = await _service.InferAsync(request, cancellationToken).ConfigureAwait(false);
            return response.Outputs;
        }
        catch (InferenceException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BatchScoringException(
                e.Message,
                retryable: e.Kind is InferenceErrorKind.Overloaded or InferenceErrorKind.ModelNotReady or InferenceErrorKind.DeadlineExceeded,
                rowsAtFault: e.Kind == InferenceErrorKind.InvalidInput,
                e);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

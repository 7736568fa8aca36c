using Inferd.Abstractions.Tensors;

namespace Inferd.Abstractions.Backends;

/// <summary>One loaded version of a model: native sessions and their metadata.</summary>
public interface ILoadedModel : IDisposable
{
    /// <summary>Inputs and outputs as the model file declares them.</summary>
    ModelSignature Signature { get; }

    /// <summary>
    /// Platform reported in metadata when it differs from the backend's (a pipeline reports <c>inferd_pipeline</c>);
    /// null means the backend's own.
    /// </summary>
    string? Platform => null;

    /// <summary>Per-step counters when the model is a pipeline; null otherwise.</summary>
    IReadOnlyList<Models.PipelineStepStatistics>? StepStatistics => null;

    /// <summary>A line for the log saying how the model runs (provider, threads, instances).</summary>
    string Description { get; }

    /// <summary>
    /// Independent instances (sessions) that may run at the same time; the scheduler runs at most one batch on each.
    /// </summary>
    int InstanceCount { get; }

    /// <summary>
    /// Runs the model on one instance. Inputs are validated by the caller against the completed config. The cancellation token
    /// terminates a running native call.
    /// </summary>
    /// <param name="instance">Instance index in [0, <see cref="InstanceCount"/>); the caller runs one call per instance at a time.</param>
    /// <param name="inputs">Inputs by name, in the binary tensor layout.</param>
    /// <param name="outputNames">Outputs to compute.</param>
    /// <param name="timings">Receives the input, infer and output phase durations.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>Outputs in the order of <paramref name="outputNames"/>. Ownership: the caller owns the returned buffers.</returns>
    ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(
        int instance,
        IReadOnlyList<InferenceTensor> inputs,
        IReadOnlyList<string> outputNames,
        RunTimings timings,
        CancellationToken cancellationToken);
}

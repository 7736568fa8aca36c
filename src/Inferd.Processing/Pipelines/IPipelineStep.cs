using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;

namespace Inferd.Processing.Pipelines;

/// <summary>
/// One loaded step. Steps work on whole batches: every input and output has the batch dimension first. A step
/// never copies an input it passes on; outputs may alias inputs (tensors are immutable once produced).
/// </summary>
internal interface IPipelineStep : IDisposable
{
    /// <summary>Output ports: name, type, shape with -1 for the batch and other variable dimensions.</summary>
    IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>How many calls may run at once; <see cref="int.MaxValue"/> for stateless steps.</summary>
    int Concurrency => int.MaxValue;

    /// <summary>Runs the step on one batch.</summary>
    /// <param name="inputs">
    /// Inputs in the order the step asked for them at load (<see cref="StepLoadContext.Input"/>); each tensor is named
    /// after the pipeline value it carries, so error messages can name the client's field.
    /// </param>
    /// <param name="context">The call's instance and timings.</param>
    /// <param name="cancellationToken">Stops the step.</param>
    /// <returns>Outputs in the order of <see cref="Outputs"/>.</returns>
    /// <exception cref="Inferd.Abstractions.Inference.InferenceException">InvalidInput naming the field for bad data.</exception>
    ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken);
}

/// <summary>Per-call context handed to a step.</summary>
/// <param name="Instance">The pipeline instance running the call; inline ONNX steps run on the same instance index.</param>
/// <param name="Timings">Timings of a backend run (scratch; the pipeline reports its own totals).</param>
internal sealed record StepCallContext(int Instance, RunTimings Timings);

using Inferd.Abstractions.Tensors;

namespace Inferd.Core.Scheduling;

/// <summary>What one request gets back from the scheduler.</summary>
/// <param name="Outputs">This request's rows of the executed batch, in the order of its output names.</param>
/// <param name="QueueNs">Time from enqueue until its batch started.</param>
/// <param name="ComputeInputNs">Input preparation of the batch it ran in (merging included).</param>
/// <param name="ComputeInferNs">Model execution of that batch.</param>
/// <param name="ComputeOutputNs">Output extraction of that batch (splitting included).</param>
/// <param name="ExecutedBatchSize">Rows of the batch it ran in.</param>
internal sealed record ScheduledResult(
    IReadOnlyList<InferenceTensor> Outputs,
    long QueueNs,
    long ComputeInputNs,
    long ComputeInferNs,
    long ComputeOutputNs,
    long ExecutedBatchSize);

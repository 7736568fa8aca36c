using Inferd.Abstractions.Tensors;

namespace Inferd.Abstractions.Inference;

/// <summary>The result of one inference.</summary>
/// <param name="ModelName">Model that ran.</param>
/// <param name="ModelVersion">Version that ran.</param>
/// <param name="Id">The request id, or null.</param>
/// <param name="Outputs">Output tensors in the order requested (or model order when none were requested).</param>
/// <param name="OutputRequests">For each output, the request entry that asked for it, or null when all were implied.</param>
public sealed record InferenceResponse(
    string ModelName,
    string ModelVersion,
    string? Id,
    IReadOnlyList<InferenceTensor> Outputs,
    IReadOnlyList<RequestedOutput?> OutputRequests);

using Inferd.Abstractions.Tensors;

namespace Inferd.Abstractions.Inference;

/// <summary>A protocol-neutral inference request, produced by the REST and gRPC adapters and the batch runner.</summary>
/// <param name="ModelName">Model to run.</param>
/// <param name="ModelVersion">Version, or null/empty to let the version policy choose.</param>
/// <param name="Id">Client correlation id, echoed in the response.</param>
/// <param name="Inputs">Input tensors in request order.</param>
/// <param name="Outputs">Requested outputs; empty means every model output.</param>
/// <param name="Parameters">Request-level parameters.</param>
public sealed record InferenceRequest(
    string ModelName,
    string? ModelVersion,
    string? Id,
    IReadOnlyList<InferenceTensor> Inputs,
    IReadOnlyList<RequestedOutput> Outputs,
    IReadOnlyDictionary<string, ParameterValue> Parameters)
{
    /// <summary>
    /// Who asked, as the protocol adapter knows it (the <c>inferd-caller</c> header or gRPC metadata today; the
    /// authenticated principal once authentication exists). Kept in the prediction log; null when unknown.
    /// </summary>
    public string? Caller { get; init; }

    /// <summary>
    /// Runs below every priority level: the scheduler takes it only when no other request of the model waits. The
    /// explainers set it, so the thousands of rows of one explanation never delay a prediction by more than the batch
    /// already running. Not reachable from the wire protocols.
    /// </summary>
    public bool Background { get; init; }
}

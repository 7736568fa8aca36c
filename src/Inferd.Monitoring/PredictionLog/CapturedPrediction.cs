using Inferd.Abstractions.Tensors;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// An answered request as the observer copied it: the tensors' bytes (only those that will be logged: a redacted or
/// oversized tensor keeps its shape alone), so the JSON is written later on the writer's thread, off the request path.
/// </summary>
/// <param name="RequestId">The request id.</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version that answered.</param>
/// <param name="Timestamp">When the answer was ready.</param>
/// <param name="LatencyUs">Server latency in microseconds.</param>
/// <param name="Caller">Who asked, or null.</param>
/// <param name="Inputs">Input tensors, each with how it is logged; the data is owned by this record.</param>
/// <param name="Outputs">Output tensors, likewise.</param>
internal sealed record CapturedPrediction(
    string RequestId,
    string Model,
    string Version,
    DateTimeOffset Timestamp,
    long LatencyUs,
    string? Caller,
    CapturedTensor[] Inputs,
    CapturedTensor[] Outputs);

/// <summary>A copied tensor and how it is logged.</summary>
/// <param name="Tensor">Name, type, shape and (for plain and hashed tensors) a private copy of the data.</param>
/// <param name="Treatment">Plain, redacted, hashed or too large.</param>
internal readonly record struct CapturedTensor(InferenceTensor Tensor, TensorJson.Treatment Treatment);

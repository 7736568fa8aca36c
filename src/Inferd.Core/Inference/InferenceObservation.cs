using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;

namespace Inferd.Core.Inference;

/// <summary>One answered request as observers see it.</summary>
/// <param name="Request">The request as the protocol adapter built it (inputs are the client's tensors).</param>
/// <param name="Response">The response about to be sent; its <see cref="InferenceResponse.Id"/> is the request id.</param>
/// <param name="Config">The effective config of the version that answered (its <c>Monitoring</c> section included).</param>
/// <param name="RequestId">The client's id, or one the server made up when the client gave none and an observer needs ids; empty otherwise.</param>
/// <param name="LatencyNs">From the facade's entry to the end of the model run, in nanoseconds.</param>
/// <param name="Timestamp">When the answer was ready.</param>
/// <param name="FromCache">Whether the response cache answered.</param>
public sealed record InferenceObservation(
    InferenceRequest Request,
    InferenceResponse Response,
    ModelConfig Config,
    string RequestId,
    long LatencyNs,
    DateTimeOffset Timestamp,
    bool FromCache);

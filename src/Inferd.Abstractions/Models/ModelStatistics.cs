namespace Inferd.Abstractions.Models;

/// <summary>A count and cumulative nanoseconds (statistics extension <c>$duration_stat</c>).</summary>
/// <param name="Count">Number of events.</param>
/// <param name="Ns">Total nanoseconds.</param>
public readonly record struct DurationStat(ulong Count, ulong Ns);

/// <summary>Cumulative request statistics of one model version.</summary>
/// <param name="Success">Successful requests, end to end.</param>
/// <param name="Fail">Failed requests.</param>
/// <param name="Queue">Time waiting before execution.</param>
/// <param name="ComputeInput">Input preparation.</param>
/// <param name="ComputeInfer">Model execution.</param>
/// <param name="ComputeOutput">Output extraction.</param>
/// <param name="CacheHit">Response cache hits.</param>
/// <param name="CacheMiss">Response cache misses.</param>
public sealed record InferStatistics(
    DurationStat Success,
    DurationStat Fail,
    DurationStat Queue,
    DurationStat ComputeInput,
    DurationStat ComputeInfer,
    DurationStat ComputeOutput,
    DurationStat CacheHit,
    DurationStat CacheMiss);

/// <summary>Statistics of executions of one batch size.</summary>
/// <param name="BatchSize">Batch size.</param>
/// <param name="ComputeInput">Input preparation.</param>
/// <param name="ComputeInfer">Model execution.</param>
/// <param name="ComputeOutput">Output extraction.</param>
public sealed record BatchStatistics(ulong BatchSize, DurationStat ComputeInput, DurationStat ComputeInfer, DurationStat ComputeOutput);

/// <summary>Statistics of one model version (statistics extension).</summary>
/// <param name="Name">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="LastInference">Milliseconds since the epoch of the last inference, 0 if none.</param>
/// <param name="InferenceCount">Inferences, counted per batch element.</param>
/// <param name="ExecutionCount">Model executions.</param>
/// <param name="InferenceStats">Request statistics.</param>
/// <param name="BatchStats">Per executed batch size.</param>
public sealed record ModelStatistics(
    string Name,
    string Version,
    ulong LastInference,
    ulong InferenceCount,
    ulong ExecutionCount,
    InferStatistics InferenceStats,
    IReadOnlyList<BatchStatistics> BatchStats)
{
    /// <summary>
    /// Failed requests by reason (<c>rejected</c>, <c>cancelled</c>, <c>timedout</c>, <c>backend</c>, <c>other</c>);
    /// an Inferd addition beside the protocol's single <c>fail</c> figure.
    /// </summary>
    public IReadOnlyDictionary<string, ulong> FailuresByReason { get; init; } = new Dictionary<string, ulong>();

    /// <summary>Per-step counters when the model is a pipeline, else empty (an Inferd addition).</summary>
    public IReadOnlyList<PipelineStepStatistics> PipelineSteps { get; init; } = [];
}

namespace Inferd.Abstractions.Models;

/// <summary>Counters of one step of a pipeline model (an Inferd addition to the statistics extension).</summary>
/// <param name="Name">Step name.</param>
/// <param name="Kind">Step kind, e.g. <c>image</c> or <c>onnx</c>.</param>
/// <param name="Count">Successful calls.</param>
/// <param name="Failures">Failed calls.</param>
/// <param name="TotalNs">Total time of successful calls in nanoseconds.</param>
/// <param name="MaxConcurrent">The most calls of the step seen running at once.</param>
public sealed record PipelineStepStatistics(string Name, string Kind, ulong Count, ulong Failures, ulong TotalNs, int MaxConcurrent);

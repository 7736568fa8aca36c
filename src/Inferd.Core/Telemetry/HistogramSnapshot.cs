namespace Inferd.Core.Telemetry;

/// <summary>A histogram read at one moment.</summary>
/// <param name="Bounds">Upper bounds without +Inf.</param>
/// <param name="CumulativeCounts">Observations at or below each bound; one more entry than bounds, the last is +Inf.</param>
/// <param name="Sum">Sum of the observed values.</param>
/// <param name="Count">Number of observations (equals the +Inf bucket).</param>
public sealed record HistogramSnapshot(IReadOnlyList<double> Bounds, IReadOnlyList<long> CumulativeCounts, double Sum, long Count);

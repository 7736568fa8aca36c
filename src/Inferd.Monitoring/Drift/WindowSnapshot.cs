namespace Inferd.Monitoring.Drift;

/// <summary>A copy of a <see cref="LiveWindow"/>, taken under its lock and evaluated outside it.</summary>
/// <param name="Rows">Rows in the window (at most its capacity).</param>
/// <param name="Updates">Requests added since the window started; tells whether a cached report is stale.</param>
/// <param name="Inputs">Input features, in profile order.</param>
/// <param name="Outputs">Output features, in profile order.</param>
internal sealed record WindowSnapshot(long Rows, long Updates, IReadOnlyList<FeatureSnapshot> Inputs, IReadOnlyList<FeatureSnapshot> Outputs);

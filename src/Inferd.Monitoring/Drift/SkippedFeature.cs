namespace Inferd.Monitoring.Drift;

/// <summary>A feature the profile leaves out, and why (free text, no values).</summary>
/// <param name="Name">The feature's name.</param>
/// <param name="Reason">Why it is not monitored.</param>
internal sealed record SkippedFeature(string Name, string Reason);

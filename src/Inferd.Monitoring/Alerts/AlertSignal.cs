namespace Inferd.Monitoring.Alerts;

/// <summary>
/// One figure alert rules can test, e.g. <c>("drift", "wages", "1", "age.ks_p_value", 0.0003)</c> or
/// <c>("accuracy", "spam", "1", "accuracy", 0.91)</c>.
/// </summary>
/// <param name="Kind"><c>drift</c>, <c>accuracy</c>, <c>fairness</c> or <c>error_rate</c>.</param>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version, or null when the figure covers all versions.</param>
/// <param name="Name">What was measured (documented per source in docs/monitoring.md).</param>
/// <param name="Value">The figure.</param>
public sealed record AlertSignal(string Kind, string Model, string? Version, string Name, double Value);

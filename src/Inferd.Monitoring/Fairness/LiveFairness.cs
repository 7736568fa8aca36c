namespace Inferd.Monitoring.Fairness;

/// <summary>The fairness of one model version over its newest logged records.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Version.</param>
/// <param name="Attribute">The protected attribute (an input name).</param>
/// <param name="Privileged">The configured privileged group, or null.</param>
/// <param name="Records">Records read (at most the configured window).</param>
/// <param name="Skipped">Rows or records left out: attribute or output missing or redacted, or not a usable value.</param>
/// <param name="Report">The figures.</param>
/// <param name="At">When they were computed.</param>
internal sealed record LiveFairness(string Model, string Version, string Attribute, string? Privileged, int Records, int Skipped, FairnessReport Report, DateTimeOffset At);

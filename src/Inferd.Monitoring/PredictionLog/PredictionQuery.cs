namespace Inferd.Monitoring.PredictionLog;

/// <summary>Which records to read, newest first.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Only this version, or all when null.</param>
/// <param name="Since">Only records at or after this time, or all when null.</param>
/// <param name="Limit">At most this many records (the newest).</param>
/// <param name="WithFeedbackOnly">Only records that have ground truth.</param>
public sealed record PredictionQuery(string Model, string? Version = null, DateTimeOffset? Since = null, int Limit = 1000, bool WithFeedbackOnly = false);

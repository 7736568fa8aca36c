namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// Small settings kept next to the records (a meta table), such as the generated hash key, so they survive restarts
/// together with the records they describe. Both stores implement it.
/// </summary>
internal interface IPredictionLogMeta
{
    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> unless a value is there; returns the stored value.</summary>
    Task<string> GetOrAddMetaAsync(string key, string value, CancellationToken cancellationToken);
}

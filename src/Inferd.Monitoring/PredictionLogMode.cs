namespace Inferd.Monitoring;

/// <summary>How the prediction log trades latency for durability.</summary>
public enum PredictionLogMode
{
    /// <summary>A bounded queue that never blocks inference; when full, the newest record is dropped and counted.</summary>
    BestEffort,

    /// <summary>The response is sent only after its record is committed to disk (group commit).</summary>
    Durable,
}

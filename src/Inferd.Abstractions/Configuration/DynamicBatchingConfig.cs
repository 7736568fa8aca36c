namespace Inferd.Abstractions.Configuration;

/// <summary>The dynamic_batching section (Triton's ModelDynamicBatching); the scheduler acts on every field.</summary>
/// <param name="PreferredBatchSizes">Preferred batch sizes; a batch of one of these sizes runs without waiting.</param>
/// <param name="MaxQueueDelayMicroseconds">How long the oldest request may wait to fill a batch; 0 means never wait.</param>
/// <param name="PreserveOrdering">Return responses in request order.</param>
public sealed record DynamicBatchingConfig(IReadOnlyList<int> PreferredBatchSizes, long MaxQueueDelayMicroseconds, bool PreserveOrdering)
{
    /// <summary>Number of priority levels; 0 means one level. Level 1 is the highest.</summary>
    public int PriorityLevels { get; init; }

    /// <summary>Level given to requests without a <c>priority</c> parameter (0 means the lowest level).</summary>
    public int DefaultPriorityLevel { get; init; }

    /// <summary>Queue policy of every level without its own.</summary>
    public QueuePolicy DefaultQueuePolicy { get; init; } = QueuePolicy.Default;

    /// <summary>Queue policies by priority level.</summary>
    public IReadOnlyDictionary<int, QueuePolicy> PriorityQueuePolicy { get; init; } = new Dictionary<int, QueuePolicy>();
}

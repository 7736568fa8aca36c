namespace Inferd.Abstractions.Configuration;

/// <summary>The dynamic_batching section, kept as read; the scheduler that acts on it is its own feature.</summary>
/// <param name="PreferredBatchSizes">Preferred batch sizes.</param>
/// <param name="MaxQueueDelayMicroseconds">How long a request may wait to fill a batch.</param>
/// <param name="PreserveOrdering">Return responses in request order.</param>
public sealed record DynamicBatchingConfig(IReadOnlyList<int> PreferredBatchSizes, long MaxQueueDelayMicroseconds, bool PreserveOrdering);

using Inferd.Abstractions.Configuration;

namespace Inferd.Batch.Scoring;

/// <summary>Derives a job's batch size and concurrency from a model's configuration; shared by both scorers.</summary>
internal static class ScoringModels
{
    /// <summary>Rows per request: the largest preferred batch size, else the maximum batch size, else 1.</summary>
    public static int PreferredBatchSize(int maxBatchSize, IReadOnlyList<int>? preferred)
    {
        if (maxBatchSize <= 0)
        {
            return 1;
        }

        var best = preferred is { Count: > 0 } ? preferred.Where(p => p > 0 && p <= maxBatchSize).DefaultIfEmpty(maxBatchSize).Max() : maxBatchSize;
        return best;
    }

    /// <summary>Requests in flight: one per model instance, at least 1.</summary>
    public static int Concurrency(IReadOnlyList<InstanceGroup> groups) => Math.Max(1, groups.Sum(g => g.Count));
}

using System.Threading.Channels;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Conversion;

namespace Inferd.Batch.Jobs;

/// <summary>A shard on its way from the reader to the writer: its requests in order, and its bad rows.</summary>
internal sealed class ShardWork(long shard, string inputName, long firstRow)
{
    private readonly List<RowError> _errors = [];

    public long Shard { get; } = shard;

    public string InputName { get; } = inputName;

    public long FirstRow { get; } = firstRow;

    /// <summary>Input rows covered, set by the reader when the shard is cut.</summary>
    public long RowsIn { get; set; }

    /// <summary>The shard's requests in row order; the reader completes it after the last.</summary>
    public Channel<PendingBatch> Batches { get; } = Channel.CreateUnbounded<PendingBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public void AddError(long row, string? key, string message)
    {
        lock (_errors)
        {
            _errors.Add(new RowError(row, key, message));
        }
    }

    /// <summary>The bad rows in row order.</summary>
    public RowError[] Errors()
    {
        lock (_errors)
        {
            return [.. _errors.OrderBy(e => e.Row)];
        }
    }
}

/// <summary>A bad row: where it is and why.</summary>
internal sealed record RowError(long Row, string? Key, string Message);

/// <summary>One request in flight: its rows' numbers and keys, and the task that scores it.</summary>
internal sealed record PendingBatch(long[] RowNumbers, string?[] Keys, Task<ScoredSegment[]> Scored);

/// <summary>Rows <paramref name="First"/>… of a request that were scored together, with their selected outputs.</summary>
internal sealed record ScoredSegment(int First, int Count, InferenceTensor[] Outputs);

using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using static Inferd.Core.Tests.Scheduling.Sched;

namespace Inferd.Core.Tests.Scheduling;

/// <summary>priority_levels: the highest non-empty level runs first; no or an out-of-range priority means the default level.</summary>
public sealed class PriorityTests
{
    [Fact]
    public async Task Infer_HighPriorityQueuedAfterLow_RunsFirst()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 8, "dynamic_batching": {"priority_levels": 2}}""");
        var (_, blocker) = await OccupyAsync(f, log);
        var low = f.Infer(Tagged("m", 1, 1, Priority(2)));
        var high = f.Infer(Tagged("m", 2, 1, Priority(1)));

        log.ReleaseAll();
        await Task.WhenAll(blocker, low, high).DefaultTimeout();

        Assert.Equal([[0], [2], [1]], log.Runs.Select(RowTags));
    }

    // max_batch_size 1: every request runs alone, so the run order is the dispatch order.
    [Theory]
    [InlineData(1, new[] { 2, 3, 1 })]
    [InlineData(2, new[] { 3, 2, 1 })]
    [InlineData(0, new[] { 3, 1, 2 })]
    public async Task Infer_NoPriorityParameter_QueuedAtTheDefaultLevel(int defaultLevel, int[] expectedOrder)
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, $$$"""{"max_batch_size": 1, "dynamic_batching": {"priority_levels": 3, "default_priority_level": {{{defaultLevel}}}}}""");
        var (_, blocker) = await OccupyAsync(f, log, Priority(1));
        var calls = new[]
        {
            f.Infer(Tagged("m", 1, 1, Priority(3))),
            f.Infer(Tagged("m", 2)),
            f.Infer(Tagged("m", 3, 1, Priority(1))),
        };

        log.ReleaseAll();
        await Task.WhenAll(calls.Append(blocker)).DefaultTimeout();

        Assert.Equal(expectedOrder, log.Runs.Skip(1).Select(r => RowTags(r).Single()));
    }

    [Fact]
    public async Task Infer_PriorityOutOfRange_QueuedAtTheDefaultLevel()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 1, "dynamic_batching": {"priority_levels": 2, "default_priority_level": 2}}""");
        var (_, blocker) = await OccupyAsync(f, log);
        var calls = new[]
        {
            f.Infer(Tagged("m", 1, 1, Priority(9))),
            f.Infer(Tagged("m", 2, 1, Priority(2))),
            f.Infer(Tagged("m", 3, 1, Priority(1))),
        };

        log.ReleaseAll();
        await Task.WhenAll(calls.Append(blocker)).DefaultTimeout();

        Assert.Equal([3, 1, 2], log.Runs.Skip(1).Select(r => RowTags(r).Single()));
    }

    // Explanations queue their rows as background requests: behind every level, the lowest included, and behind
    // requests that arrived after them.
    [Theory]
    [InlineData("""{"max_batch_size": 1, "dynamic_batching": {"priority_levels": 2}}""")]
    [InlineData("""{"max_batch_size": 1, "dynamic_batching": {}}""")]
    public async Task Infer_BackgroundRequest_RunsAfterEveryWaitingPrediction(string config)
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, config);
        var (_, blocker) = await OccupyAsync(f, log);
        var calls = new[]
        {
            f.Infer(Tagged("m", 1) with { Background = true }),
            f.Infer(Tagged("m", 2, 1, Priority(2))),
            f.Infer(Tagged("m", 3)),
        };

        log.ReleaseAll();
        await Task.WhenAll(calls.Append(blocker)).DefaultTimeout();

        Assert.Equal([2, 3, 1], log.Runs.Skip(1).Select(r => RowTags(r).Single()));
    }
}

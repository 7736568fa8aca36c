using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using static Inferd.Core.Tests.Scheduling.Sched;

namespace Inferd.Core.Tests.Scheduling;

/// <summary>max_queue_delay_microseconds: the oldest request waits (on the injected clock) for a preferred-size batch.</summary>
public sealed class MaxQueueDelayTests
{
    private const string Delayed = """{"max_batch_size": 8, "dynamic_batching": {"preferred_batch_size": [4], "max_queue_delay_microseconds": 1000}}""";

    [Fact]
    public async Task Infer_FewerRowsThanPreferred_WaitForTheDelayThenRunAsOneBatch()
    {
        var log = new RunLog();
        await using var f = await StartEchoAsync(log, Delayed);
        var requests = Enumerable.Range(1, 3).Select(i => Tagged("m", i)).ToArray();
        var calls = requests.Select(r => f.Infer(r)).ToArray();
        var scheduler = f.Scheduler("m");
        Assert.Equal(3, scheduler.QueuedCount);

        f.Time.Advance(TimeSpan.FromMicroseconds(999));
        Assert.Equal(3, scheduler.QueuedCount);
        Assert.Equal(0, log.Count);
        f.Time.Advance(TimeSpan.FromMicroseconds(1));

        Assert.Equal(0, scheduler.QueuedCount);
        var responses = await Task.WhenAll(calls).DefaultTimeout();
        for (var i = 0; i < requests.Length; i++)
        {
            AssertEchoes(requests[i], responses[i]);
        }

        var run = Assert.Single(log.Runs);
        Assert.Equal([1, 2, 3], RowTags(run));
        var stats = f.Stats("m");
        Assert.Equal([3UL], stats.BatchStats.Select(b => b.BatchSize));
        // Queue time is measured on the injected clock: each request waited exactly the delay.
        Assert.Equal(3UL * 1_000_000, stats.InferenceStats.Queue.Ns);
    }

    [Fact]
    public async Task Infer_RowsReachPreferredSize_RunAtOnceWithoutWaiting()
    {
        var log = new RunLog();
        await using var f = await StartEchoAsync(log, Delayed);
        var requests = Enumerable.Range(1, 4).Select(i => Tagged("m", i)).ToArray();

        var calls = requests.Select(r => f.Infer(r)).ToArray();
        var responses = await Task.WhenAll(calls).DefaultTimeout();

        for (var i = 0; i < requests.Length; i++)
        {
            AssertEchoes(requests[i], responses[i]);
        }

        var run = Assert.Single(log.Runs);
        Assert.Equal([1, 2, 3, 4], RowTags(run));
        Assert.Equal(0UL, f.Stats("m").InferenceStats.Queue.Ns);
    }

    [Fact]
    public async Task Infer_SingleRequestOfPreferredSize_RunsWithoutWaiting()
    {
        var log = new RunLog();
        await using var f = await StartEchoAsync(log, Delayed);
        var request = Tagged("m", 1, 4);

        AssertEchoes(request, await f.Infer(request).DefaultTimeout());

        Assert.Equal(4L, Assert.Single(log.Runs).Rows);
    }
}

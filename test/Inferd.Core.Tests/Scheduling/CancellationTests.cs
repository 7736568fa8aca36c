using Inferd.Abstractions.Inference;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using static Inferd.Core.Tests.Scheduling.Sched;

namespace Inferd.Core.Tests.Scheduling;

/// <summary>The caller's token: a queued request leaves the queue; a batch whose requests are all gone stops its run.</summary>
public sealed class CancellationTests
{
    private const string Batching = """{"max_batch_size": 8, "dynamic_batching": {}}""";

    [Fact]
    public async Task Infer_QueuedRequestCancelled_CancelledRemovedFromQueueAndNeverRun()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, Batching);
        var (_, blocker) = await OccupyAsync(f, log);
        using var cts = new CancellationTokenSource();
        var cancelled = f.Infer(Tagged("m", 1), cts.Token);
        var other = Tagged("m", 2);
        var otherCall = f.Infer(other);
        Assert.Equal(2, f.Scheduler("m").QueuedCount);

        await cts.CancelAsync();

        Assert.Equal(1, f.Scheduler("m").QueuedCount);
        Assert.Equal(InferenceErrorKind.Cancelled, (await Assert.ThrowsAsync<InferenceException>(() => cancelled).DefaultTimeout()).Kind);
        log.ReleaseAll();
        await blocker.DefaultTimeout();
        AssertEchoes(other, await otherCall.DefaultTimeout());
        Assert.Equal([[0], [2]], log.Runs.Select(RowTags));
        Assert.Equal(1UL, f.Failures("cancelled"));
        Assert.Equal(1UL, f.Stats("m").InferenceStats.Fail.Count);
    }

    [Fact]
    public async Task Infer_RunningRequestCancelled_RunTokenFiresAndInstanceServesTheNext()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, Batching);
        using var cts = new CancellationTokenSource();
        var call = f.Infer(Tagged("m", 1), cts.Token);
        var run = await log.StartedAsync(0).DefaultTimeout();

        await cts.CancelAsync();

        Assert.True(run.Token.IsCancellationRequested, "the run of a batch whose only request was cancelled must be terminated");
        Assert.Equal(InferenceErrorKind.Cancelled, (await Assert.ThrowsAsync<InferenceException>(() => call).DefaultTimeout()).Kind);
        log.Hold = false;
        var next = Tagged("m", 2);
        AssertEchoes(next, await f.Infer(next).DefaultTimeout());
        Assert.Equal(1UL, f.Failures("cancelled"));
    }

    [Fact]
    public async Task Infer_OneRequestOfARunningBatchCancelled_RunGoesOnAndTheOtherSucceeds()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, Batching);
        var (_, blocker) = await OccupyAsync(f, log);
        using var cts = new CancellationTokenSource();
        var leaving = f.Infer(Tagged("m", 1), cts.Token);
        var staying = Tagged("m", 2, 2);
        var stayingCall = f.Infer(staying);
        log.Runs[0].Release();
        await blocker.DefaultTimeout();
        var batch = await log.StartedAsync(1).DefaultTimeout();
        Assert.Equal([1, 2, 2], RowTags(batch));

        await cts.CancelAsync();

        Assert.Equal(InferenceErrorKind.Cancelled, (await Assert.ThrowsAsync<InferenceException>(() => leaving).DefaultTimeout()).Kind);
        Assert.False(batch.Token.IsCancellationRequested, "a batch must keep running while one of its requests still waits for it");
        batch.Release();
        AssertEchoes(staying, await stayingCall.DefaultTimeout());
    }

    [Fact]
    public async Task Infer_EveryRequestOfARunningBatchCancelled_RunTokenFires()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, Batching);
        var (_, blocker) = await OccupyAsync(f, log);
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        var calls = new[] { f.Infer(Tagged("m", 1), first.Token), f.Infer(Tagged("m", 2), second.Token) };
        log.Runs[0].Release();
        await blocker.DefaultTimeout();
        var batch = await log.StartedAsync(1).DefaultTimeout();

        await first.CancelAsync();
        Assert.False(batch.Token.IsCancellationRequested);
        await second.CancelAsync();

        Assert.True(batch.Token.IsCancellationRequested, "the run must stop once no request waits for it");
        foreach (var call in calls)
        {
            Assert.Equal(InferenceErrorKind.Cancelled, (await Assert.ThrowsAsync<InferenceException>(() => call).DefaultTimeout()).Kind);
        }

        Assert.Equal(2UL, f.Failures("cancelled"));
    }
}

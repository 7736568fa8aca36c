using Inferd.Abstractions.Inference;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using static Inferd.Core.Tests.Scheduling.Sched;

namespace Inferd.Core.Tests.Scheduling;

/// <summary>max_queue_size, request timeouts (REJECT and DELAY), timeout overrides; time is a FakeTimeProvider.</summary>
public sealed class QueuePolicyTests
{
    [Fact]
    public async Task Infer_QueueFull_NextRequestOverloadedAtOnceAndQueuedOnesSucceedAfterRelease()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 8, "dynamic_batching": {"default_queue_policy": {"max_queue_size": 2}}}""");
        var (_, blocker) = await OccupyAsync(f, log);
        var queued = new[] { Tagged("m", 1), Tagged("m", 2) };
        var calls = queued.Select(r => f.Infer(r)).ToArray();

        var rejected = f.Infer(Tagged("m", 3));

        Assert.True(rejected.IsCompleted, "a request over max_queue_size must fail at once, not wait in the queue");
        var error = await Assert.ThrowsAsync<InferenceException>(() => rejected).DefaultTimeout();
        Assert.Equal(InferenceErrorKind.Overloaded, error.Kind);
        Assert.Equal(2, f.Scheduler("m").QueuedCount);
        log.ReleaseAll();
        await blocker.DefaultTimeout();
        var responses = await Task.WhenAll(calls).DefaultTimeout();
        AssertEchoes(queued[0], responses[0]);
        AssertEchoes(queued[1], responses[1]);
        var stats = f.Stats("m");
        Assert.Equal(3UL, stats.InferenceStats.Success.Count);
        Assert.Equal(1UL, stats.InferenceStats.Fail.Count);
        Assert.Equal(1UL, stats.FailuresByReason["rejected"]);
        Assert.DoesNotContain(log.Runs, r => RowTags(r).Contains(3));
    }

    [Fact]
    public async Task Infer_QueueFullAtOnePriorityLevel_OtherLevelsStillQueue()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 8, "dynamic_batching": {"priority_levels": 2, "priority_queue_policy": {"2": {"max_queue_size": 1}}}}""");
        var (_, blocker) = await OccupyAsync(f, log);
        var low = f.Infer(Tagged("m", 1, 1, Priority(2)));

        var lowRejected = f.Infer(Tagged("m", 2, 1, Priority(2)));
        var high = new[] { f.Infer(Tagged("m", 3, 1, Priority(1))), f.Infer(Tagged("m", 4, 1, Priority(1))) };

        Assert.Equal(InferenceErrorKind.Overloaded, (await Assert.ThrowsAsync<InferenceException>(() => lowRejected).DefaultTimeout()).Kind);
        Assert.Equal(3, f.Scheduler("m").QueuedCount);
        log.ReleaseAll();
        await Task.WhenAll(high.Append(low).Append(blocker)).DefaultTimeout();
    }

    [Fact]
    public async Task Infer_QueuedRequestTimeoutParameterExpires_DeadlineExceededAndLeavesTheQueue()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, null);
        var (_, blocker) = await OccupyAsync(f, log);
        var timed = f.Infer(Tagged("m", 1, 1, Timeout(1000)));
        var patient = Tagged("m", 2);
        var patientCall = f.Infer(patient);
        var scheduler = f.Scheduler("m");
        Assert.Equal(2, scheduler.QueuedCount);

        f.Time.Advance(TimeSpan.FromMicroseconds(999));
        Assert.Equal(2, scheduler.QueuedCount);
        f.Time.Advance(TimeSpan.FromMicroseconds(1));

        var error = await Assert.ThrowsAsync<InferenceException>(() => timed).DefaultTimeout();
        Assert.Equal(InferenceErrorKind.DeadlineExceeded, error.Kind);
        Assert.Equal(1, scheduler.QueuedCount);
        Assert.False(blocker.IsCompleted, "the running request has no timeout and must not be touched");
        log.ReleaseAll();
        await blocker.DefaultTimeout();
        AssertEchoes(patient, await patientCall.DefaultTimeout());
        Assert.Equal([[0], [2]], log.Runs.Select(RowTags));
        Assert.Equal(1UL, f.Failures("timedout"));
        Assert.Equal(1UL, f.Stats("m").InferenceStats.Fail.Count);
    }

    // Level 1 has no timeout (the blocker runs there); level 2, the default level, has the policy under test.
    private static string TwoLevels(string level2Policy) =>
        """{"max_batch_size": 8, "dynamic_batching": {"priority_levels": 2, "default_priority_level": 2, "priority_queue_policy": {"1": {}}, "default_queue_policy": """ + level2Policy + "}}";

    [Fact]
    public async Task Infer_QueuePolicyDefaultTimeout_AppliesWithoutTimeoutParameter()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, TwoLevels("""{"default_timeout_microseconds": 1000}"""));
        var (_, blocker) = await OccupyAsync(f, log, Priority(1));
        var queued = f.Infer(Tagged("m", 1));
        Assert.Equal(1, f.Scheduler("m").QueuedCount);

        f.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(InferenceErrorKind.DeadlineExceeded, (await Assert.ThrowsAsync<InferenceException>(() => queued).DefaultTimeout()).Kind);
        Assert.Equal(0, f.Scheduler("m").QueuedCount);
        log.ReleaseAll();
        await blocker.DefaultTimeout();
        Assert.Single(log.Runs);
    }

    [Fact]
    public async Task Infer_TimeoutParameterLongerThanPolicyDefault_DefaultStillApplies()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, TwoLevels("""{"default_timeout_microseconds": 1000, "allow_timeout_override": true}"""));
        var (_, blocker) = await OccupyAsync(f, log, Priority(1));
        var longer = f.Infer(Tagged("m", 1, 1, Timeout(5000)));
        var shorter = f.Infer(Tagged("m", 2, 1, Timeout(500)));

        f.Time.Advance(TimeSpan.FromMicroseconds(500));
        Assert.Equal(InferenceErrorKind.DeadlineExceeded, (await Assert.ThrowsAsync<InferenceException>(() => shorter).DefaultTimeout()).Kind);
        Assert.Equal(1, f.Scheduler("m").QueuedCount);
        f.Time.Advance(TimeSpan.FromMicroseconds(500));

        Assert.Equal(InferenceErrorKind.DeadlineExceeded, (await Assert.ThrowsAsync<InferenceException>(() => longer).DefaultTimeout()).Kind);
        Assert.Equal(0, f.Scheduler("m").QueuedCount);
        log.ReleaseAll();
        await blocker.DefaultTimeout();
    }

    [Fact]
    public async Task Infer_TimeoutOverrideNotAllowed_TimeoutParameterIgnored()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 8, "dynamic_batching": {"default_queue_policy": {"allow_timeout_override": false}}}""");
        var (_, blocker) = await OccupyAsync(f, log);
        var request = Tagged("m", 1, 1, Timeout(1000));
        var call = f.Infer(request);

        f.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, f.Scheduler("m").QueuedCount);
        log.ReleaseAll();
        await blocker.DefaultTimeout();
        AssertEchoes(request, await call.DefaultTimeout());
        Assert.Equal(0UL, f.Failures("timedout"));
    }

    [Fact]
    public async Task Infer_DelayActionTimeoutExpires_RequestKeptAndRunAfterThoseThatDidNotTimeOut()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 8, "dynamic_batching": {"default_queue_policy": {"timeout_action": "DELAY", "allow_timeout_override": true}}}""");
        var (_, blocker) = await OccupyAsync(f, log);
        var requests = new[] { Tagged("m", 1, 1, Timeout(1000)), Tagged("m", 2), Tagged("m", 3) };
        var calls = requests.Select(r => f.Infer(r)).ToArray();

        f.Time.Advance(TimeSpan.FromMilliseconds(2));

        Assert.Equal(3, f.Scheduler("m").QueuedCount);
        Assert.False(calls[0].IsCompleted, "DELAY keeps the request");
        log.ReleaseAll();
        await blocker.DefaultTimeout();
        var responses = await Task.WhenAll(calls).DefaultTimeout();
        for (var i = 0; i < requests.Length; i++)
        {
            AssertEchoes(requests[i], responses[i]);
        }

        Assert.Equal([[0], [2, 3], [1]], log.Runs.Select(RowTags));
        Assert.Equal(0UL, f.Stats("m").InferenceStats.Fail.Count);
    }
}

using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using static Inferd.Core.Tests.Scheduling.Sched;

namespace Inferd.Core.Tests.Scheduling;

/// <summary>Batches formed from what queued while the single instance was busy, over the fake echo model.</summary>
public sealed class DynamicBatchingTests
{
    private const string Batching = """{"max_batch_size": 8, "dynamic_batching": {}}""";

    [Fact]
    public async Task Infer_RequestsQueuedWhileInstanceBusy_RunAsOneBatchAndEachGetsItsOwnRows()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, Batching);
        var (first, firstCall) = await OccupyAsync(f, log);
        int[] sizes = [1, 2, 3, 1, 1];
        var requests = sizes.Select((rows, i) => Tagged("m", i + 1, rows)).ToArray();

        var calls = requests.Select(r => f.Infer(r)).ToArray();
        Assert.Equal(5, f.Scheduler("m").QueuedCount);
        log.ReleaseAll();
        var responses = await Task.WhenAll(calls).DefaultTimeout();

        AssertEchoes(first, await firstCall.DefaultTimeout());
        for (var i = 0; i < requests.Length; i++)
        {
            AssertEchoes(requests[i], responses[i]);
        }

        Assert.Equal([1L, 8L], log.Runs.Select(r => r.Rows));
        Assert.Equal([1, 2, 2, 3, 3, 3, 4, 5], RowTags(log.Runs[1]));
        var stats = f.Stats("m");
        Assert.Equal(2UL, stats.ExecutionCount);
        Assert.Equal(9UL, stats.InferenceCount);
        Assert.Equal(6UL, stats.InferenceStats.Success.Count);
        Assert.Equal([1UL, 8UL], stats.BatchStats.Select(b => b.BatchSize));
        Assert.Equal(1UL, stats.BatchStats[1].ComputeInfer.Count);
    }

    [Fact]
    public async Task Infer_QueuedRowsExceedMaxBatchSize_SplitIntoBatchesInArrivalOrder()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 4, "dynamic_batching": {}}""");
        _ = await OccupyAsync(f, log);
        var requests = new[] { Tagged("m", 1, 3), Tagged("m", 2, 2), Tagged("m", 3, 1) };

        var calls = requests.Select(r => f.Infer(r)).ToArray();
        log.ReleaseAll();
        var responses = await Task.WhenAll(calls).DefaultTimeout();

        Assert.Equal([1L, 3L, 3L], log.Runs.Select(r => r.Rows));
        Assert.Equal([1, 1, 1], RowTags(log.Runs[1]));
        Assert.Equal([2, 2, 3], RowTags(log.Runs[2]));
        for (var i = 0; i < requests.Length; i++)
        {
            AssertEchoes(requests[i], responses[i]);
        }
    }

    [Fact]
    public async Task Infer_PreferredBatchSizes_BatchCutToTheLargestPreferredSizeTheQueueFills()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 8, "dynamic_batching": {"preferred_batch_size": [2, 4]}}""");
        _ = await OccupyAsync(f, log);
        var requests = Enumerable.Range(1, 5).Select(i => Tagged("m", i)).ToArray();

        var calls = requests.Select(r => f.Infer(r)).ToArray();
        log.ReleaseAll();
        var responses = await Task.WhenAll(calls).DefaultTimeout();

        Assert.Equal([1L, 4L, 1L], log.Runs.Select(r => r.Rows));
        Assert.Equal([1, 2, 3, 4], RowTags(log.Runs[1]));
        Assert.Equal([5], RowTags(log.Runs[2]));
        for (var i = 0; i < requests.Length; i++)
        {
            AssertEchoes(requests[i], responses[i]);
        }
    }

    [Fact]
    public async Task Infer_QueuedRequestsWithDifferentInnerShapes_NotMergedAndEachAnswered()
    {
        var log = new RunLog { Hold = true };
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Backend.Run = log.EchoAsync;
        f.Model("m", 1, "in x FP32 -1,-1", "out y FP32 -1,-1");
        f.Config("m", Batching);
        await f.StartAsync();
        _ = await OccupyAsync(f, log);
        InferenceRequest Width(int tag, int width) => new("m", null, "r" + tag,
            [new InferenceTensor("x", DataType.Fp32, [1, width], Enumerable.Range(0, width * 4).Select(b => (byte)(tag + b)).ToArray())], [], new Dictionary<string, ParameterValue>());
        var requests = new[] { Width(1, 4), Width(2, 3), Width(3, 3), Width(4, 4) };

        var calls = requests.Select(r => f.Infer(r)).ToArray();
        log.ReleaseAll();
        var responses = await Task.WhenAll(calls).DefaultTimeout();

        Assert.Equal(["1,4", "1,4", "2,3", "1,4"], log.Runs.Select(r => string.Join(",", r.Inputs[0].Shape)));
        for (var i = 0; i < requests.Length; i++)
        {
            AssertEchoes(requests[i], responses[i]);
        }
    }

    [Fact]
    public async Task Infer_BytesRequestsQueuedTogether_MergedInOrderAndSplitBackPerRequest()
    {
        var log = new RunLog { Hold = true };
        await using var f = new ServiceFixture(ModelControlMode.None);
        f.Backend.Run = log.EchoAsync;
        f.Model("m", 1, "in x BYTES -1", "out y BYTES -1");
        f.Config("m", Batching);
        await f.StartAsync();
        string[][] texts = [["blocker"], ["a", "", "ccc"], ["ünïcødé"], ["", ""], ["longer string with spaces", "x"]];
        var requests = texts.Select((t, i) => new InferenceRequest("m", null, "r" + i,
            [new InferenceTensor("x", DataType.Bytes, [t.Length], BytesTensor.EncodeStrings(t))], [], new Dictionary<string, ParameterValue>())).ToArray();

        var first = f.Infer(requests[0]);
        await log.StartedAsync(0).DefaultTimeout();
        var calls = requests.Skip(1).Select(r => f.Infer(r)).ToArray();
        log.ReleaseAll();
        var responses = await Task.WhenAll(calls.Prepend(first)).DefaultTimeout();

        Assert.Equal([1L, 8L], log.Runs.Select(r => r.Rows));
        Assert.Equal(texts.Skip(1).SelectMany(t => t), Strings(log.Runs[1].Inputs[0]));
        for (var i = 0; i < texts.Length; i++)
        {
            var output = Assert.Single(responses[i].Outputs);
            Assert.Equal([(long)texts[i].Length], output.Shape);
            Assert.Equal(texts[i], Strings(output));
        }
    }

    [Fact]
    public async Task Infer_TwoInstances_TwoRunsAtOnceAndTheThirdQueuesForTheFirstFreeInstance()
    {
        var log = new RunLog { Hold = true };
        await using var f = await StartEchoAsync(log, """{"max_batch_size": 8, "dynamic_batching": {}, "instance_group": [{"count": 2, "kind": "KIND_CPU"}]}""");
        var first = f.Infer(Tagged("m", 1));
        var second = f.Infer(Tagged("m", 2));
        await log.StartedAsync(1).DefaultTimeout();
        var third = f.Infer(Tagged("m", 3));
        Assert.Equal(1, f.Scheduler("m").QueuedCount);

        log.Runs[1].Release();
        await second.DefaultTimeout();
        var run = await log.StartedAsync(2).DefaultTimeout();

        Assert.Equal([3], RowTags(run));
        Assert.False(first.IsCompleted);
        log.ReleaseAll();
        await Task.WhenAll(first, third).DefaultTimeout();
        Assert.Equal(3UL, f.Stats("m").ExecutionCount);
    }

    private static string[] Strings(InferenceTensor t) => BytesTensor.Split(t.Data).Select(m => Encoding.UTF8.GetString(m.Span)).ToArray();
}

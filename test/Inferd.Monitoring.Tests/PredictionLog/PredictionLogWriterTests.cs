using System.Text;
using Inferd.Abstractions.Inference;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.PredictionLog;
using Inferd.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Monitoring.Tests.PredictionLog;

public sealed class PredictionLogWriterTests
{
    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task OnInferred_BestEffortWithBlockedStore_DropsWhatDoesNotFitAndCountsExactly(string kind)
    {
        // Arrange: a queue of 16 and a store whose write lock another connection holds.
        const int Queue = 16;
        const int Sent = 200;
        await using var log = await LogStoreUnderTest.CreateAsync(kind, sqliteBusyTimeout: TestTimeouts.Default);
        await using var writer = await StartAsync(log, PredictionLogMode.BestEffort, Queue);
        var blocker = await WriteBlocker.HoldAsync(log);

        // Act: the first record reaches the writer, which then waits for the lock; the rest fill the queue, then drop.
        var calls = new List<Task> { writer.OnInferredAsync(Observations.Make("r0", [Observations.Fp32("x", 0)]), CancellationToken.None).AsTask() };
        await Poll.UntilAsync(() => writer.QueueDepth == 0, "the writer to take the first record");
        for (var i = 1; i < Sent; i++)
        {
            calls.Add(writer.OnInferredAsync(Observations.Make("r" + i, [Observations.Fp32("x", i)]), CancellationToken.None).AsTask());
        }

        var allCompletedWhileBlocked = calls.All(c => c.IsCompletedSuccessfully);
        var droppedWhileBlocked = writer.Dropped;
        await blocker.DisposeAsync();
        await writer.StopAsync(CancellationToken.None).DefaultTimeout();
        var stored = await SecondConnection.CountAsync(log).DefaultTimeout();

        // Assert: inference never waited, and every record is either stored or counted as dropped.
        TestContext.Current.TestOutputHelper?.WriteLine($"{kind}: sent {Sent}, stored {stored}, dropped_total {writer.Dropped}");
        Assert.True(allCompletedWhileBlocked);
        Assert.Equal(Sent - 1 - Queue, droppedWhileBlocked);
        Assert.Equal(Sent - stored, writer.Dropped);
        Assert.Equal(0, writer.Errors);
        Assert.Equal(stored, writer.Written);
    }

    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task OnInferred_Durable_CompletesOnlyOnceTheRowIsReadableElsewhere(string kind)
    {
        await using var log = await LogStoreUnderTest.CreateAsync(kind, sqliteBusyTimeout: TestTimeouts.Default);
        await using var writer = await StartAsync(log, PredictionLogMode.Durable, 100);
        var blocker = await WriteBlocker.HoldAsync(log);

        var first = writer.OnInferredAsync(Observations.Make("d0", []), CancellationToken.None).AsTask();
        await Poll.UntilAsync(() => writer.QueueDepth == 0, "the writer to take the first record");
        var rest = Enumerable.Range(1, 4).Select(i => writer.OnInferredAsync(Observations.Make("d" + i, []), CancellationToken.None).AsTask()).ToArray();
        var pendingWhileBlocked = !first.IsCompleted && rest.All(t => !t.IsCompleted);
        var visibleWhileBlocked = await SecondConnection.HasRecordAsync(log, "d0");
        await blocker.DisposeAsync();

        // Each request reads its own row the moment its observer call completes.
        var readable = await Task.WhenAll(new[] { first }.Concat(rest).Select(async (task, i) =>
        {
            await task.DefaultTimeout();
            return await SecondConnection.HasRecordAsync(log, "d" + i);
        }));

        Assert.True(pendingWhileBlocked, "a durable request completed while its record could not be written");
        Assert.False(visibleWhileBlocked);
        Assert.All(readable, Assert.True);
        // Group commit: the four records queued during the first commit went in one transaction.
        Assert.Contains("inferd_prediction_log_commit_batch_size_count 2\n", Metrics(writer), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnInferred_DurableStoreFails_FailsTheRequestAsUnavailable()
    {
        // A one-second busy timeout against a lock held for longer: the append fails for real.
        await using var log = await LogStoreUnderTest.CreateAsync("sqlite", sqliteBusyTimeout: TimeSpan.FromSeconds(1));
        await using var writer = await StartAsync(log, PredictionLogMode.Durable, 100);
        await using (await WriteBlocker.HoldAsync(log))
        {
            var error = await Record.ExceptionAsync(() => writer.OnInferredAsync(Observations.Make("lost", []), CancellationToken.None).AsTask().DefaultTimeout());

            var failure = Assert.IsType<InferenceException>(error);
            Assert.Equal(InferenceErrorKind.ModelNotReady, failure.Kind);
            Assert.Contains("prediction log could not store", failure.Message, StringComparison.Ordinal);
        }

        Assert.Equal(1, writer.Errors);
        Assert.False(await SecondConnection.HasRecordAsync(log, "lost"));
    }

    [Fact]
    public async Task OnInferred_InvalidMonitoringSection_CountsAnErrorAndFailsOnlyInDurableMode()
    {
        await using var log = await LogStoreUnderTest.CreateAsync("sqlite");
        await using var bestEffort = await StartAsync(log, PredictionLogMode.BestEffort, 10);
        await using var durable = await StartAsync(log, PredictionLogMode.Durable, 10);
        var bad = Observations.Make("bad", [], monitoring: """{"log":{"sample_rate":2}}""");

        await bestEffort.OnInferredAsync(bad, CancellationToken.None);
        var error = await Record.ExceptionAsync(() => durable.OnInferredAsync(bad, CancellationToken.None).AsTask());

        Assert.Equal((1L, 1L), (bestEffort.Errors, durable.Errors));
        Assert.Equal(InferenceErrorKind.ModelNotReady, Assert.IsType<InferenceException>(error).Kind);
    }

    [Fact]
    public async Task Start_NoConfiguredKey_KeepsTheGeneratedHashKeyAcrossRestarts()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "log.db");
        var observation = Observations.Make("h1", [Observations.Strings("user", "ann")], monitoring: """{"log":{"hash":["user"]}}""");
        var hashes = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            await using var store = new SqlitePredictionLogStore(path);
            await using var writer = new PredictionLogWriter(store, new MonitoringOptions { PredictionLogMode = PredictionLogMode.Durable }, NullLogger.Instance);
            await writer.StartAsync(CancellationToken.None).DefaultTimeout();
            await writer.OnInferredAsync(observation with { RequestId = "h" + run }, CancellationToken.None).AsTask().DefaultTimeout();
            hashes.Add((await store.FindAsync("h" + run, CancellationToken.None))!.InputsJson);
        }

        Assert.Equal(hashes[0], hashes[1]);
        Assert.Contains("\"h:", hashes[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collect_AfterCommits_WritesEveryFamily()
    {
        await using var log = await LogStoreUnderTest.CreateAsync("sqlite");
        await using var writer = await StartAsync(log, PredictionLogMode.Durable, 10);
        await writer.OnInferredAsync(Observations.Make("c1", [], model: "wages"), CancellationToken.None).AsTask().DefaultTimeout();

        var text = Metrics(writer);

        Assert.Contains("inferd_prediction_log_records_total{model=\"wages\"} 1\n", text, StringComparison.Ordinal);
        foreach (var family in new[] { "dropped_total 0", "errors_total 0", "queue_depth 0", "commit_duration_seconds_count 1", "commit_batch_size_count 1" })
        {
            Assert.Contains("inferd_prediction_log_" + family + "\n", text, StringComparison.Ordinal);
        }
    }

    private static async Task<PredictionLogWriter> StartAsync(LogStoreUnderTest log, PredictionLogMode mode, int queue)
    {
        var writer = new PredictionLogWriter(log.Store, new MonitoringOptions { PredictionLogMode = mode, PredictionLogQueue = queue, HashKey = "k" }, NullLogger.Instance);
        await writer.StartAsync(CancellationToken.None).DefaultTimeout();
        return writer;
    }

    private static string Metrics(IMetricsSource source)
    {
        var text = new StringBuilder();
        source.Collect(new PrometheusWriter(text));
        return text.ToString();
    }
}

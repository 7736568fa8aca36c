using Inferd.Monitoring.PredictionLog;
using Inferd.Testing;

namespace Inferd.Monitoring.Tests.PredictionLog;

/// <summary>The store contract, run against a real SQLite file and a real PostgreSQL database.</summary>
public sealed class PredictionLogStoreTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task Append_ThenFind_ReturnsEveryField(string kind)
    {
        await using var log = await LogStoreUnderTest.CreateAsync(kind);
        var record = Records.Make("r1", caller: "alice");

        await log.Store.AppendAsync([record], durable: true, Token).DefaultTimeout();
        var found = await log.Store.FindAsync("r1", Token).DefaultTimeout();

        Assert.NotNull(found);
        Assert.Equal(("r1", "m", "1", Records.Start, 1234L, "alice"), (found.RequestId, found.Model, found.Version, found.Timestamp, found.LatencyUs, found.Caller));
        Assert.True(Records.SameJson(record.InputsJson, found.InputsJson), found.InputsJson);
        Assert.True(Records.SameJson(record.OutputsJson, found.OutputsJson), found.OutputsJson);
        Assert.Null(found.TruthJson);
        Assert.Null(found.FeedbackAt);
        Assert.Null(await log.Store.FindAsync("missing", Token).DefaultTimeout());
    }

    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task Append_SameRequestIdTwice_WritesOnce(string kind)
    {
        await using var log = await LogStoreUnderTest.CreateAsync(kind);

        await log.Store.AppendAsync([Records.Make("dup", second: 1), Records.Make("other")], durable: false, Token).DefaultTimeout();
        await log.Store.AppendAsync([Records.Make("dup", second: 2, caller: "retry")], durable: true, Token).DefaultTimeout();

        var all = await log.Store.QueryAsync(new PredictionQuery("m"), Token).DefaultTimeout();
        Assert.Equal(["dup", "other"], all.Select(r => r.RequestId).Order());
        var kept = Assert.Single(all, r => r.RequestId == "dup");
        Assert.Equal((Records.Start.AddSeconds(1), (string?)null), (kept.Timestamp, kept.Caller));
    }

    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task Query_ModelVersionSinceLimit_NewestFirst(string kind)
    {
        await using var log = await LogStoreUnderTest.CreateAsync(kind);
        await log.Store.AppendAsync(
        [
            Records.Make("a", second: 3),
            Records.Make("b", second: 1),
            Records.Make("c", version: "2", second: 2),
            Records.Make("d", second: 5),
            Records.Make("e", model: "other", second: 4),
        ], durable: false, Token).DefaultTimeout();

        async Task<string[]> Ids(PredictionQuery query) => (await log.Store.QueryAsync(query, Token).DefaultTimeout()).Select(r => r.RequestId).ToArray();

        Assert.Equal(["d", "a", "c", "b"], await Ids(new PredictionQuery("m")));
        Assert.Equal(["d", "a", "b"], await Ids(new PredictionQuery("m", Version: "1")));
        Assert.Equal(["d", "a"], await Ids(new PredictionQuery("m", Limit: 2)));
        Assert.Equal(["d", "a", "c"], await Ids(new PredictionQuery("m", Since: Records.Start.AddSeconds(2))));
        Assert.Equal(["e"], await Ids(new PredictionQuery("other")));
        Assert.Empty(await Ids(new PredictionQuery("nobody")));
    }

    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task SetFeedback_LoggedRequest_JoinsTruthWithThePrediction(string kind)
    {
        await using var log = await LogStoreUnderTest.CreateAsync(kind);
        await log.Store.AppendAsync([Records.Make("r1"), Records.Make("r2", second: 1)], durable: true, Token).DefaultTimeout();
        var at = Records.Start.AddMinutes(10);

        var joined = await log.Store.SetFeedbackAsync("r1", """["spam", "ham"]""", at, Token).DefaultTimeout();
        var missing = await log.Store.SetFeedbackAsync("never-logged", "1", at, Token).DefaultTimeout();

        Assert.True(joined);
        Assert.False(missing);
        var found = await log.Store.FindAsync("r1", Token).DefaultTimeout();
        Assert.True(Records.SameJson("""["spam","ham"]""", found!.TruthJson), found.TruthJson);
        Assert.Equal(at, found.FeedbackAt);
        var withTruth = await log.Store.QueryAsync(new PredictionQuery("m", WithFeedbackOnly: true), Token).DefaultTimeout();
        Assert.Equal("r1", Assert.Single(withTruth).RequestId);
    }

    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task Delete_ByCallerOrRequestId_RemovesExactlyThoseRecords(string kind)
    {
        await using var log = await LogStoreUnderTest.CreateAsync(kind);
        await log.Store.AppendAsync(
        [
            Records.Make("a1", caller: "alice"),
            Records.Make("a2", model: "other", caller: "alice", second: 1),
            Records.Make("b1", caller: "bob", second: 2),
            Records.Make("n1", second: 3),
        ], durable: true, Token).DefaultTimeout();

        var byCaller = await log.Store.DeleteAsync("alice", null, Token).DefaultTimeout();
        var byId = await log.Store.DeleteAsync(null, "n1", Token).DefaultTimeout();
        var none = await log.Store.DeleteAsync("nobody", null, Token).DefaultTimeout();

        Assert.Equal((2L, 1L, 0L), (byCaller, byId, none));
        Assert.Equal(["b1"], (await log.Store.QueryAsync(new PredictionQuery("m"), Token).DefaultTimeout()).Select(r => r.RequestId));
        Assert.Empty(await log.Store.QueryAsync(new PredictionQuery("other"), Token).DefaultTimeout());
        await Assert.ThrowsAsync<ArgumentException>(() => log.Store.DeleteAsync("alice", "b1", Token));
        await Assert.ThrowsAsync<ArgumentException>(() => log.Store.DeleteAsync(null, null, Token));
    }

    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task ApplyRetention_ByAge_DeletesOnlyOlderRecords(string kind)
    {
        await using var log = await LogStoreUnderTest.CreateAsync(kind);
        // Three models interleaved: the pass goes model by model.
        await log.Store.AppendAsync([.. Enumerable.Range(0, 10).Select(i => Records.Make("r" + i, model: "m" + (i % 3), second: i * 60))], durable: false, Token).DefaultTimeout();

        var deleted = await log.Store.ApplyRetentionAsync(Records.Start.AddMinutes(4), 0, Token).DefaultTimeout();
        var size = await log.Store.MeasureAsync(Token).DefaultTimeout();

        Assert.Equal(4, deleted);
        Assert.Equal(6, size.Records);
        Assert.Equal(["r9", "r6"], (await log.Store.QueryAsync(new PredictionQuery("m0"), Token).DefaultTimeout()).Select(r => r.RequestId));
        Assert.Equal(Records.Start.AddMinutes(4), size.Oldest);
        Assert.Equal(0, await log.Store.ApplyRetentionAsync(Records.Start.AddMinutes(4), 0, Token).DefaultTimeout());
    }

    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task ApplyRetention_BySize_DeletesOldestUntilTheLogFits(string kind)
    {
        await using var log = await LogStoreUnderTest.CreateAsync(kind);
        // 4,000 records of about 1.2 KB: about 5 MB with indexes, trimmed to a 2 MiB cap.
        const int Count = 4_000;
        for (var batch = 0; batch < Count; batch += 500)
        {
            await log.Store.AppendAsync([.. Enumerable.Range(batch, 500).Select(i => Records.Make("r" + i, second: i, payload: 1000))], durable: false, Token).DefaultTimeout();
        }

        const long Cap = 2L << 20;
        var before = await log.Store.MeasureAsync(Token).DefaultTimeout();
        var deleted = await log.Store.ApplyRetentionAsync(null, Cap, Token).DefaultTimeout();
        var after = await log.Store.MeasureAsync(Token).DefaultTimeout();
        var again = await log.Store.ApplyRetentionAsync(null, Cap, Token).DefaultTimeout();

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{kind}: {before.Records} records / {before.Bytes} bytes -> deleted {deleted}, {after.Records} records / {after.Bytes} bytes (cap {Cap}); second pass deleted {again}");
        Assert.True(before.Bytes > Cap, $"setup: {before.Bytes} bytes is not over the cap");
        Assert.InRange(deleted, 1, Count - 1);
        Assert.Equal(Count - deleted, after.Records);
        // The oldest went: what is left is exactly the newest records.
        Assert.Equal(Records.Start.AddSeconds(deleted), after.Oldest);
        Assert.Equal(0, again);
        if (kind == "sqlite")
        {
            Assert.InRange(after.Bytes, 1, Cap);
        }
        else
        {
            var live = await ((PostgresPredictionLogStore)log.Store).EstimateLiveBytesAsync(Token).DefaultTimeout();
            Assert.InRange(live.Bytes, 1, Cap);
        }
    }

    [Theory]
    [MemberData(nameof(LogStoreUnderTest.Kinds), MemberType = typeof(LogStoreUnderTest))]
    public async Task GetOrAddMeta_SecondValue_KeepsTheFirst(string kind)
    {
        await using var log = await LogStoreUnderTest.CreateAsync(kind);
        var meta = (IPredictionLogMeta)log.Store;

        var first = await meta.GetOrAddMetaAsync("hash_key", "one", Token).DefaultTimeout();
        var second = await meta.GetOrAddMetaAsync("hash_key", "two", Token).DefaultTimeout();

        Assert.Equal(("one", "one"), (first, second));
    }

    [Fact]
    public async Task Initialize_ExistingFile_KeepsRecordsAcrossReopen()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "log.db");
        await using (var first = new SqlitePredictionLogStore(path))
        {
            await first.InitializeAsync(Token).DefaultTimeout();
            await first.AppendAsync([Records.Make("kept")], durable: true, Token).DefaultTimeout();
        }

        await using var second = new SqlitePredictionLogStore(path);
        await second.InitializeAsync(Token).DefaultTimeout();

        Assert.NotNull(await second.FindAsync("kept", Token).DefaultTimeout());
    }
}

using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Caching;
using Inferd.Core.Inference;
using Inferd.Core.Tests.Inference;
using Inferd.Testing;
using Inferd.Testing.Fakes;
using static Inferd.Core.Tests.Scheduling.Sched;

namespace Inferd.Core.Tests.Scheduling;

/// <summary>The response cache: through the facade (hits, misses, opt-in per model) and its LRU bound in bytes.</summary>
public sealed class ResponseCacheTests
{
    private const string Cached = """{"response_cache": {"enable": true}}""";
    private static readonly InferenceOptions CacheOn = new(ResponseCacheBytes: 1 << 20);

    [Fact]
    public async Task Infer_IdenticalRequestTwice_SecondAnsweredFromCacheWithoutARun()
    {
        var log = new RunLog();
        await using var f = await StartEchoAsync(log, Cached, CacheOn);
        var request = Tagged("m", 1, 2);

        var first = await f.Infer(request).DefaultTimeout();
        var second = await f.Infer(Tagged("m", 1, 2)).DefaultTimeout();

        AssertEchoes(request, first);
        AssertEchoes(request, second);
        Assert.Equal(1, log.Count);
        var stats = f.Stats("m");
        Assert.Equal(1UL, stats.InferenceStats.CacheHit.Count);
        Assert.Equal(1UL, stats.InferenceStats.CacheMiss.Count);
        Assert.Equal(2UL, stats.InferenceStats.Success.Count);
        Assert.Equal(1UL, stats.ExecutionCount);
    }

    [Fact]
    public async Task Infer_DifferentInput_CacheMissAndRun()
    {
        var log = new RunLog();
        await using var f = await StartEchoAsync(log, Cached, CacheOn);

        AssertEchoes(Tagged("m", 1), await f.Infer(Tagged("m", 1)).DefaultTimeout());
        AssertEchoes(Tagged("m", 2), await f.Infer(Tagged("m", 2)).DefaultTimeout());

        Assert.Equal(2, log.Count);
        var stats = f.Stats("m");
        Assert.Equal(0UL, stats.InferenceStats.CacheHit.Count);
        Assert.Equal(2UL, stats.InferenceStats.CacheMiss.Count);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("""{"response_cache": {"enable": false}}""", true)]
    [InlineData(Cached, false)]
    public async Task Infer_CacheNotEnabledForModelOrServer_EveryRequestRuns(string? config, bool serverCache)
    {
        var log = new RunLog();
        await using var f = await StartEchoAsync(log, config, serverCache ? CacheOn : null);

        await f.Infer(Tagged("m", 1)).DefaultTimeout();
        await f.Infer(Tagged("m", 1)).DefaultTimeout();

        Assert.Equal(2, log.Count);
        var stats = f.Stats("m");
        Assert.Equal(0UL, stats.InferenceStats.CacheHit.Count);
        Assert.Equal(0UL, stats.InferenceStats.CacheMiss.Count);
    }

    [Fact]
    public void Add_OverCapacity_EvictsLeastRecentlyUsedFirst()
    {
        var probe = new ResponseCache(1 << 20);
        probe.Add(1, Output(1));
        var entry = probe.Bytes;
        var cache = new ResponseCache((2 * entry) + (entry / 2));

        cache.Add(1, Output(1));
        cache.Add(2, Output(2));
        Assert.True(cache.TryGet(1, out _));
        cache.Add(3, Output(3));

        Assert.Equal(2, cache.Count);
        Assert.True(cache.Bytes <= (2 * entry) + (entry / 2));
        Assert.True(cache.TryGet(1, out var one));
        Assert.Equal(Output(1)[0].Data.ToArray(), one[0].Data.ToArray());
        Assert.False(cache.TryGet(2, out _), "the least recently used entry must go first");
        Assert.True(cache.TryGet(3, out _));
    }

    [Fact]
    public void Add_EntryLargerThanTheCache_NotStored()
    {
        var cache = new ResponseCache(100);

        cache.Add(1, Output(1));

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.Bytes);
        Assert.False(cache.TryGet(1, out _));
    }

    [Fact]
    public void Key_AnythingThatChangesTheAnswerChanges_TheKey()
    {
        var x = new InferenceTensor("x", DataType.Fp32, [1, 4], new byte[16]);
        var key = ResponseCache.Key("m", "1", [x], ["y"], [null]);

        Assert.Equal(key, ResponseCache.Key("m", "1", [x with { Data = new byte[16] }], ["y"], [null]));
        Assert.NotEqual(key, ResponseCache.Key("n", "1", [x], ["y"], [null]));
        Assert.NotEqual(key, ResponseCache.Key("m", "2", [x], ["y"], [null]));
        Assert.NotEqual(key, ResponseCache.Key("m", "1", [x with { Data = Enumerable.Range(0, 16).Select(b => (byte)b).ToArray() }], ["y"], [null]));
        Assert.NotEqual(key, ResponseCache.Key("m", "1", [x with { Shape = [2, 2] }], ["y"], [null]));
        Assert.NotEqual(key, ResponseCache.Key("m", "1", [x with { DataType = DataType.Int32 }], ["y"], [null]));
        Assert.NotEqual(key, ResponseCache.Key("m", "1", [x], ["z"], [null]));
        Assert.NotEqual(key, ResponseCache.Key("m", "1", [x], ["y"], [new RequestedOutput("y", new Dictionary<string, ParameterValue> { ["classification"] = ParameterValue.FromInt64(2) })]));
    }

    private static InferenceTensor[] Output(byte fill) => [new InferenceTensor("y", DataType.Fp32, [1, 4], Enumerable.Repeat(fill, 16).ToArray())];
}

using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Inferd.Hosting.Rest;

/// <summary>
/// <c>GET v2/inferd/runtime</c>, an Inferd extension: the process's managed allocation and GC counters, so a benchmark
/// can read them before and after a load point and divide the deltas by the requests served (benchmarks.md, G8).
/// Every figure is cumulative or a current size; nothing is reset by reading.
/// </summary>
internal static class RuntimeEndpoints
{
    /// <summary>The route, without the leading slash.</summary>
    public const string Route = "v2/inferd/runtime";

    // GenerationInfo index of the large-object heap (0, 1, 2 are the generations, 4 the pinned-object heap).
    private const int LargeObjectHeapIndex = 3;

    /// <summary>
    /// <c>{"allocated_bytes", "gen0", "gen1", "gen2", "heap_bytes", "loh_bytes"}</c>: bytes allocated since the process
    /// started (not precise to the last allocation context), collection counts per generation, the managed heap size,
    /// and the large-object heap's size after the last GC.
    /// </summary>
    public static Task<RestReply> Runtime(HttpContext context) => Task.FromResult(RestReply.Json(StatusCodes.Status200OK, Snapshot()));

    /// <summary>The body of <see cref="Runtime"/>.</summary>
    public static ReadOnlyMemory<byte> Snapshot()
    {
        var info = GC.GetGCMemoryInfo();
        var generations = info.GenerationInfo;
        var loh = generations.Length > LargeObjectHeapIndex ? generations[LargeObjectHeapIndex].SizeAfterBytes : 0;
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("allocated_bytes", GC.GetTotalAllocatedBytes(precise: false));
            w.WriteNumber("gen0", GC.CollectionCount(0));
            w.WriteNumber("gen1", GC.CollectionCount(1));
            w.WriteNumber("gen2", GC.CollectionCount(2));
            w.WriteNumber("heap_bytes", GC.GetTotalMemory(forceFullCollection: false));
            w.WriteNumber("loh_bytes", loh);
            w.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}

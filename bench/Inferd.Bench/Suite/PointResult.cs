namespace Inferd.Bench.Suite;

/// <summary>
/// The server's own counters over one point: deltas of <c>GET /v2/inferd/runtime</c> and of the model's
/// <c>GET /v2/models/{m}/stats</c>, read just before and just after the load generator ran (warm-up included).
/// </summary>
/// <param name="AllocatedBytes">Managed bytes allocated by the server process.</param>
/// <param name="Gen0">Gen-0 collections.</param>
/// <param name="Gen1">Gen-1 collections.</param>
/// <param name="Gen2">Gen-2 collections.</param>
/// <param name="LohBytes">Change of the large-object heap's size (after the last GC).</param>
/// <param name="Requests">Requests the model served (inference_count; 0 for the no-op endpoint).</param>
/// <param name="Executions">Model executions (execution_count): Requests / Executions is the executed batch for batch-1 requests.</param>
/// <param name="Seconds">Time between the two reads.</param>
internal sealed record ServerDelta(long AllocatedBytes, long Gen0, long Gen1, long Gen2, long LohBytes, long Requests, long Executions, double Seconds)
{
    /// <summary>Allocated bytes per request, or null when the server counted no requests.</summary>
    public double? AllocatedPerRequest => Requests > 0 ? (double)AllocatedBytes / Requests : null;
}

/// <summary>A measured point: what was asked, the batch size used, the load generator's figures and the server's counters.</summary>
/// <param name="Spec">The point.</param>
/// <param name="BatchSize">Items per request actually sent.</param>
/// <param name="Point">The load generator's figures.</param>
/// <param name="Server">Server counters (null for in-process modes or when they could not be read).</param>
/// <param name="Json">The load generator's JSON, as written.</param>
internal sealed record PointResult(PointSpec Spec, int BatchSize, BenchPoint Point, ServerDelta? Server, string Json)
{
    /// <summary>
    /// The average batch the server executed: the load generator's figure, else the stats delta, else the
    /// request's batch size (no dynamic batching).
    /// </summary>
    public double ExecutedBatch =>
        Point.AvgBatch
        ?? (Server is { Executions: > 0 } s ? (double)s.Requests / s.Executions * BatchSize : BatchSize);
}

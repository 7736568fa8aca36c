using System.Globalization;

namespace Inferd.Bench.Suite;

/// <summary>The outcome of one goal.</summary>
internal enum Verdict
{
    /// <summary>Every figure of the goal is within its bound.</summary>
    Met,

    /// <summary>A figure is out of bounds or could not be measured.</summary>
    NotMet,

    /// <summary>The plan did not include the goal's points (smoke).</summary>
    NotRun,
}

/// <summary>One row of the table.</summary>
/// <param name="Id">G1…G8.</param>
/// <param name="Figure">What was measured.</param>
/// <param name="Target">The goal, as benchmarks.md states it.</param>
/// <param name="Value">The measured ratios or values.</param>
/// <param name="Verdict">MET, NOT MET or not run.</param>
internal sealed record GoalRow(string Id, string Figure, string Target, string Value, Verdict Verdict);

/// <summary>Computes G1–G8 of benchmarks.md from measured points.</summary>
internal static class Goals
{
    /// <summary>FP32 bytes of mlp's input (64 floats) and output (10 floats) for one item: G8's "tensor data".</summary>
    public const int MlpTensorBytes = (64 + 10) * sizeof(float);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One row per goal, G1 to G8, from the points measured so far (missing points make a goal not run).</summary>
    public static IReadOnlyList<GoalRow> Evaluate(IReadOnlyDictionary<string, PointResult> points, SuitePlan plan)
    {
        var c = new Context(points, plan);
        return [G1(c), G2(c), G3(c), G4(c), G5(c), G6(c), G7(c), G8(c)];
    }

    // Server CPU per request beyond inference: the mlp point's CPU less raw ORT's time for one batch-1 run.
    private static GoalRow G1(Context c)
    {
        const string figure = "server CPU µs/request at saturation, noop and mlp batch 1, vs the transport's no-op endpoint (mlp less raw inference)";
        const string target = "≤ 1.15× (about ≤ 30 µs)";
        if (!c.Has(Modes.Binary.SelectMany(m => new[] { SuitePlan.Endpoint(m), SuitePlan.Saturated("noop", m), SuitePlan.Saturated("mlp", m) })))
        {
            return new("G1", figure, target, "", Verdict.NotRun);
        }

        var parts = new List<string>();
        var met = true;
        foreach (var mode in Modes.Binary)
        {
            var baseline = c.Cpu(SuitePlan.Endpoint(mode));
            var noop = c.Cpu(SuitePlan.Saturated("noop", mode));
            var mlp = c.Cpu(SuitePlan.Saturated("mlp", mode)) - c.RawInferenceUs;
            if (baseline is not > 0 || noop is null || mlp is null)
            {
                parts.Add($"{mode}: no server CPU figure");
                met = false;
                continue;
            }

            var (rNoop, rMlp) = (noop.Value / baseline.Value, mlp.Value / baseline.Value);
            met &= rNoop <= 1.15 && rMlp <= 1.15;
            parts.Add($"{mode}: endpoint {F1(baseline)}, noop {F1(noop)} ({F2(rNoop)}×), mlp {F1(mlp)} ({F2(rMlp)}×)");
        }

        parts.Add($"raw mlp inference {F1(c.RawInferenceUs)} µs");
        return new("G1", figure, target, string.Join("; ", parts), met ? Verdict.Met : Verdict.NotMet);
    }

    private static GoalRow G2(Context c)
    {
        const string figure = "server CPU µs/request at saturation over JSON: noop (4 floats), mlp (64 floats, less raw inference)";
        const string target = "≤ 40 µs";
        var mode = Modes.HttpJson;
        if (!c.Has([SuitePlan.Saturated("noop", mode), SuitePlan.Saturated("mlp", mode)]))
        {
            return new("G2", figure, target, "", Verdict.NotRun);
        }

        var noop = c.Cpu(SuitePlan.Saturated("noop", mode));
        var mlp = c.Cpu(SuitePlan.Saturated("mlp", mode)) - c.RawInferenceUs;
        var endpoint = c.Cpu(SuitePlan.Endpoint(mode));
        if (noop is null || mlp is null)
        {
            return new("G2", figure, target, "no server CPU figure", Verdict.NotMet);
        }

        var value = $"noop {F1(noop)} µs, mlp {F1(mlp)} µs (no-op endpoint {F1(endpoint)} µs)";
        return new("G2", figure, target, value, noop <= 40 && mlp <= 40 ? Verdict.Met : Verdict.NotMet);
    }

    private static GoalRow G3(Context c)
    {
        const string figure = "round-trip latency at concurrency 1, mlp batch 1";
        const string target = "p50 ≤ 150 µs binary/gRPC, ≤ 200 µs JSON; p99 ≤ 1.5 ms";
        var modes = new[] { Modes.HttpBinary, Modes.GrpcRaw, Modes.HttpJson };
        if (!c.Has(modes.Select(SuitePlan.Single)))
        {
            return new("G3", figure, target, "", Verdict.NotRun);
        }

        var met = true;
        var parts = new List<string>();
        foreach (var mode in modes)
        {
            var p = c[SuitePlan.Single(mode)].Point;
            var p50Bound = mode == Modes.HttpJson ? 200 : 150;
            met &= p.P50Us <= p50Bound && p.P99Us <= 1500;
            parts.Add($"{mode}: p50 {F1(p.P50Us)} µs, p99 {F1(p.P99Us)} µs");
        }

        return new("G3", figure, target, string.Join("; ", parts), met ? Verdict.Met : Verdict.NotMet);
    }

    private static GoalRow G4(Context c)
    {
        var figure = $"mlp batch-1 requests/s vs the transport's no-op endpoint, concurrency {c.Plan.Saturation}";
        const string target = "≥ 0.90 binary/gRPC, ≥ 0.80 JSON";
        var modes = new[] { Modes.HttpBinary, Modes.GrpcRaw, Modes.HttpJson };
        if (!c.Has(modes.SelectMany(m => new[] { SuitePlan.Endpoint(m), SuitePlan.Saturated("mlp", m) })))
        {
            return new("G4", figure, target, "", Verdict.NotRun);
        }

        var met = true;
        var parts = new List<string>();
        foreach (var mode in modes)
        {
            var mlp = c[SuitePlan.Saturated("mlp", mode)].Point.RequestsPerS;
            var endpoint = c[SuitePlan.Endpoint(mode)].Point.RequestsPerS;
            var ratio = endpoint > 0 ? mlp / endpoint : 0;
            met &= ratio >= (mode == Modes.HttpJson ? 0.80 : 0.90);
            parts.Add($"{mode}: {N0(mlp)} / {N0(endpoint)} = {F2(ratio)}");
        }

        return new("G4", figure, target, string.Join("; ", parts), met ? Verdict.Met : Verdict.NotMet);
    }

    private static GoalRow G5(Context c)
    {
        const string figure = "cnn, tfm items/s at saturation over gRPC vs raw ORT at the executed batch and the same thread layout";
        const string target = "≥ 0.95";
        var models = new[] { "cnn", "tfm" };
        if (!c.Has(models.SelectMany(m => new[] { SuitePlan.Saturated(m, Modes.GrpcRaw), SuitePlan.RawAtExecutedBatch(m) })))
        {
            return new("G5", figure, target, "", Verdict.NotRun);
        }

        var met = true;
        var parts = new List<string>();
        foreach (var model in models)
        {
            var served = c[SuitePlan.Saturated(model, Modes.GrpcRaw)];
            var raw = c[SuitePlan.RawAtExecutedBatch(model)];
            var ratio = raw.Point.ItemsPerS > 0 ? served.Point.ItemsPerS / raw.Point.ItemsPerS : 0;
            met &= ratio >= 0.95;
            parts.Add($"{model}: {F1(served.Point.ItemsPerS)} / {F1(raw.Point.ItemsPerS)} items/s = {F2(ratio)} (B̄ {F1(served.ExecutedBatch)}, raw at {raw.BatchSize})");
        }

        return new("G5", figure, target, string.Join("; ", parts), met ? Verdict.Met : Verdict.NotMet);
    }

    // Scheduler cost per request: the batcher's time per item less raw ORT's time per item at the batch it executed,
    // both on the same cores (per item = per request: requests carry one item).
    private static GoalRow G6(Context c)
    {
        var figure = $"raw-batcher, mlp, {c.Plan.Saturation} producers: items/s batching on vs off; scheduler µs/request";
        const string target = "≥ 3×; ≤ 10 µs";
        if (!c.Has([SuitePlan.MlpBatcherOn, SuitePlan.MlpBatcherOff, SuitePlan.MlpRawExecutedBatch]))
        {
            return new("G6", figure, target, "", Verdict.NotRun);
        }

        var on = c[SuitePlan.MlpBatcherOn];
        var off = c[SuitePlan.MlpBatcherOff];
        var raw = c[SuitePlan.MlpRawExecutedBatch];
        var ratio = off.Point.ItemsPerS > 0 ? on.Point.ItemsPerS / off.Point.ItemsPerS : 0;
        double? scheduler = on.Point.ItemsPerS > 0 && raw.Point.ItemsPerS > 0 ? (1e6 / on.Point.ItemsPerS) - (1e6 / raw.Point.ItemsPerS) : null;
        var value = $"{N0(on.Point.ItemsPerS)} / {N0(off.Point.ItemsPerS)} items/s = {F2(ratio)}× (B̄ {F1(on.ExecutedBatch)}); "
            + $"scheduler {F1(scheduler)} µs/request (raw at batch {raw.BatchSize}: {N0(raw.Point.ItemsPerS)} items/s; queue {F1(on.Point.ServerQueueUs)} µs)";
        return new("G6", figure, target, value, ratio >= 3 && scheduler <= 10 ? Verdict.Met : Verdict.NotMet);
    }

    // Closed loop at equal concurrency ties throughput to latency, so "equal p95" is read as "no worse than 5% higher".
    private static GoalRow G7(Context c)
    {
        const string figure = "tfm over gRPC at concurrency 32 (≥ 2× max batch): dynamic batching on vs off";
        const string target = "≥ 1.15× at equal p95, or equal throughput at lower p95";
        if (!c.Has([SuitePlan.TfmBatching(true), SuitePlan.TfmBatching(false)]))
        {
            return new("G7", figure, target, "", Verdict.NotRun);
        }

        var on = c[SuitePlan.TfmBatching(true)].Point;
        var off = c[SuitePlan.TfmBatching(false)].Point;
        var ratio = off.ItemsPerS > 0 ? on.ItemsPerS / off.ItemsPerS : 0;
        var p95Ratio = off.P95Us > 0 ? on.P95Us / off.P95Us : double.PositiveInfinity;
        var met = (ratio >= 1.15 && p95Ratio <= 1.05) || (ratio >= 0.95 && p95Ratio < 1 / 1.15);
        var value = $"{F1(on.ItemsPerS)} / {F1(off.ItemsPerS)} items/s = {F2(ratio)}×; p95 {F1(on.P95Us / 1000)} / {F1(off.P95Us / 1000)} ms = {F2(p95Ratio)}× (B̄ {F1(c[SuitePlan.TfmBatching(true)].ExecutedBatch)})";
        return new("G7", figure, target, value, met ? Verdict.Met : Verdict.NotMet);
    }

    private static GoalRow G8(Context c)
    {
        const string figure = "server managed allocation per request beyond tensor data, LOH growth and gen-2 GCs, mlp at saturation";
        const string target = "≤ 2 KB/request, no LOH allocation per request, no gen-2 GC in a 30 s run";
        var keys = Modes.Binary.Select(m => SuitePlan.Saturated("mlp", m)).ToArray();
        if (!c.Has(keys))
        {
            return new("G8", figure, target, "", Verdict.NotRun);
        }

        var met = true;
        var parts = new List<string>();
        foreach (var key in keys)
        {
            var mode = c[key].Spec.Mode;
            if (c[key].Server is not { AllocatedPerRequest: { } perRequest } server)
            {
                parts.Add($"{mode}: no server counters");
                met = false;
                continue;
            }

            var beyond = perRequest - MlpTensorBytes;
            // One-off growth (a pool or arena settling) is not "per request"; under one byte per request is.
            var lohPerRequest = (double)Math.Max(0, server.LohBytes) / server.Requests;
            met &= beyond <= 2048 && lohPerRequest < 1 && server.Gen2 == 0;
            parts.Add($"{mode}: {N0(beyond)} B/request beyond {MlpTensorBytes} B of tensors, LOH {server.LohBytes:+#,0;-#,0;0} B, gen2 {server.Gen2} in {server.Seconds:F0} s ({N0(server.Requests)} requests)");
        }

        return new("G8", figure, target, string.Join("; ", parts), met ? Verdict.Met : Verdict.NotMet);
    }

    private static string F1(double? v) => v is { } x ? x.ToString("F1", Inv) : "n/a";

    private static string F2(double v) => v.ToString("F2", Inv);

    private static string N0(double v) => v.ToString("N0", Inv);

    private sealed class Context(IReadOnlyDictionary<string, PointResult> points, SuitePlan plan)
    {
        public SuitePlan Plan { get; } = plan;

        /// <summary>µs of one raw ORT run of mlp at batch 1 (0 when not measured).</summary>
        public double RawInferenceUs { get; } =
            points.TryGetValue(SuitePlan.MlpRawSingle, out var raw) && raw.Point.ItemsPerS > 0 ? 1e6 / raw.Point.ItemsPerS : 0;

        public PointResult this[string key] => points[key];

        public bool Has(IEnumerable<string> keys) => keys.All(points.ContainsKey);

        public double? Cpu(string key) => points.TryGetValue(key, out var p) ? p.Point.ServerCpuUsPerRequest : null;
    }
}

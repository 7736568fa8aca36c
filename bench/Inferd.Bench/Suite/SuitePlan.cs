namespace Inferd.Bench.Suite;

/// <summary>Modes of <c>inferd bench</c>.</summary>
internal static class Modes
{
    public const string Raw = "raw";
    public const string RawBatcher = "raw-batcher";
    public const string HttpJson = "http-json";
    public const string HttpBinary = "http-binary";
    public const string GrpcTyped = "grpc-typed";
    public const string GrpcRaw = "grpc-raw";

    /// <summary>The binary transports of G1, G3, G4 and G8.</summary>
    public static IReadOnlyList<string> Binary { get; } = [HttpBinary, GrpcRaw];

    /// <summary>Whether the mode runs in-process (no server, no transport).</summary>
    public static bool InProcess(string mode) => mode is Raw or RawBatcher;

    /// <summary>Whether the mode talks to the gRPC port.</summary>
    public static bool Grpc(string mode) => mode is GrpcTyped or GrpcRaw;
}

/// <summary>One point the suite measures: one <c>inferd bench</c> child process at one concurrency.</summary>
/// <param name="Key">Name the goals look the point up by, e.g. <c>mlp/grpc-raw/sat</c>.</param>
/// <param name="Model">Model id (a repository folder).</param>
/// <param name="Mode">Load generator mode.</param>
/// <param name="Concurrency">Outstanding requests (closed loop).</param>
/// <param name="Endpoint"><c>infer</c>, or <c>noop</c> for the transport's no-op endpoint.</param>
/// <param name="BatchSize">Items per request, unless <paramref name="BatchFromKey"/> gives it.</param>
/// <param name="BatchFromKey">Take the batch size from the average batch the server executed in that earlier point (rounded).</param>
/// <param name="WindowMs">A longer window than the suite's, for points that must run long (G8's 30 s).</param>
internal sealed record PointSpec(
    string Key,
    string Model,
    string Mode,
    int Concurrency,
    string Endpoint = "infer",
    int BatchSize = 1,
    string? BatchFromKey = null,
    int? WindowMs = null)
{
    /// <summary>Whether the point needs the server.</summary>
    public bool UsesServer => !Modes.InProcess(Mode);
}

/// <summary>What the suite runs: points in order and the window settings for all of them.</summary>
/// <param name="Smoke">Short windows, fewer points, goals reported but never enforced.</param>
/// <param name="WindowMs">Measurement window.</param>
/// <param name="MaxWindows">Most windows per point.</param>
/// <param name="WarmupMs">Warm-up before the first window.</param>
/// <param name="Stability">Allowed spread of the last 3 windows.</param>
/// <param name="Saturation">Concurrency used as "at saturation" for noop/mlp (G1, G2, G4, G8).</param>
/// <param name="Points">The points, in run order (a point's <see cref="PointSpec.BatchFromKey"/> comes earlier).</param>
internal sealed record SuitePlan(bool Smoke, int WindowMs, int MaxWindows, int WarmupMs, double Stability, int Saturation, IReadOnlyList<PointSpec> Points)
{
    /// <summary>Concurrency of cnn/tfm at saturation (two or more requests per instance keeps the instances busy).</summary>
    public const int ModelSaturation = 4;

    /// <summary>Concurrency of G7: at least twice tfm's max_batch_size (16).</summary>
    public const int TfmBatchingConcurrency = 32;

    /// <summary>G8's window in the full suite: 3 stable windows of 10 s make the 30 s run the goal asks for.</summary>
    public const int AllocationWindowMs = 10_000;

    /// <summary>Key of the transport's no-op endpoint point.</summary>
    public static string Endpoint(string mode) => $"endpoint/{mode}";

    /// <summary>Key of a model at saturation over a mode.</summary>
    public static string Saturated(string model, string mode) => $"{model}/{mode}/sat";

    /// <summary>Key of <c>mlp</c> at concurrency 1 over a mode.</summary>
    public static string Single(string mode) => $"mlp/{mode}/c1";

    /// <summary>Raw ORT, mlp batch 1, one caller: the inference cost per request.</summary>
    public const string MlpRawSingle = "mlp/raw/c1";

    /// <summary>raw-batcher, mlp-batched, 64 producers (G6).</summary>
    public const string MlpBatcherOn = "mlp-batched/raw-batcher";

    /// <summary>raw-batcher, mlp unbatched, 64 producers (G6).</summary>
    public const string MlpBatcherOff = "mlp/raw-batcher";

    /// <summary>Raw ORT, mlp at the batch the batcher executed (G6's scheduler cost).</summary>
    public const string MlpRawExecutedBatch = "mlp/raw/executed-batch";

    /// <summary>Raw ORT for cnn or tfm at the executed batch (G5).</summary>
    public static string RawAtExecutedBatch(string model) => $"{model}/raw";

    /// <summary>tfm over grpc-raw at G7's concurrency, batching on or off.</summary>
    public static string TfmBatching(bool on) => on ? "tfm-batched/grpc-raw/c32" : "tfm/grpc-raw/c32";

    /// <summary>The models a plan needs in its repository.</summary>
    public IReadOnlyList<string> ModelIds => Points.Select(p => BenchModels.Find(p.Model).Id).Distinct().ToList();

    /// <summary>
    /// The suite. Full: 5 s windows (G8's points 10 s), up to 10; smoke: 1 s windows, up to 3, noop and mlp only at
    /// concurrency 1 and 8 (8 stands in for saturation and for G6's 64 producers).
    /// </summary>
    public static SuitePlan Create(bool smoke)
    {
        var saturation = smoke ? 8 : 64;
        var points = new List<PointSpec>();
        foreach (var mode in new[] { Modes.HttpBinary, Modes.GrpcRaw, Modes.HttpJson })
        {
            var allocationWindow = !smoke && Modes.Binary.Contains(mode) ? AllocationWindowMs : (int?)null;
            points.Add(new(Endpoint(mode), "noop", mode, saturation, Endpoint: "noop"));
            points.Add(new(Saturated("noop", mode), "noop", mode, saturation));
            points.Add(new(Saturated("mlp", mode), "mlp", mode, saturation, WindowMs: allocationWindow));
            points.Add(new(Single(mode), "mlp", mode, 1));
        }

        points.Add(new(MlpRawSingle, "mlp", Modes.Raw, 1));
        points.Add(new(MlpBatcherOff, "mlp", Modes.RawBatcher, saturation));
        points.Add(new(MlpBatcherOn, "mlp-batched", Modes.RawBatcher, saturation));
        points.Add(new(MlpRawExecutedBatch, "mlp", Modes.Raw, 1, BatchFromKey: MlpBatcherOn));
        if (!smoke)
        {
            foreach (var model in new[] { "cnn", "tfm" })
            {
                var served = Saturated(model, Modes.GrpcRaw);
                points.Add(new(served, model, Modes.GrpcRaw, ModelSaturation));
                points.Add(new(RawAtExecutedBatch(model), model, Modes.Raw, 1, BatchFromKey: served));
            }

            points.Add(new(TfmBatching(on: false), "tfm", Modes.GrpcRaw, TfmBatchingConcurrency));
            points.Add(new(TfmBatching(on: true), "tfm-batched", Modes.GrpcRaw, TfmBatchingConcurrency));
        }

        return smoke
            ? new SuitePlan(true, WindowMs: 1000, MaxWindows: 3, WarmupMs: 1000, Stability: 0.15, saturation, points)
            : new SuitePlan(false, WindowMs: 5000, MaxWindows: 10, WarmupMs: 2000, Stability: 0.15, saturation, points);
    }
}

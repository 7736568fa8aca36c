using Inferd.Bench.Suite;

namespace Inferd.Bench.Tests;

/// <summary>The suite's logic against the load generator's JSON contract, with made-up figures (no processes).</summary>
public sealed class SuiteTests
{
    private const string ContractExample = """
        {"model":"mlp","mode":"grpc-raw","endpoint":"infer","batch_size":1,"points":[{"concurrency":4,"request_rate":null,
        "requests_per_s":12000.5,"items_per_s":12000.5,"p50_us":310,"p90_us":400,"p95_us":450,"p99_us":900,"max_us":2100,
        "errors":0,"stable":true,"windows":3,"server_cpu_us_per_request":31.5,"client_alloc_bytes_per_request":640,
        "server_queue_us":2.5,"server_compute_input_us":1.5,"server_compute_infer_us":6,"server_compute_output_us":1,"avg_batch":null}]}
        """;

    private static readonly CpuLayout Pinned = new([0], [1], 1);

    [Fact]
    public void Parse_ContractExample_ReadsEveryField()
    {
        var run = BenchRun.Parse(ContractExample);

        Assert.Equal(("mlp", "grpc-raw", "infer", 1), (run.Model, run.Mode, run.Endpoint, run.BatchSize));
        var p = Assert.Single(run.Points);
        Assert.Equal(4, p.Concurrency);
        Assert.Null(p.RequestRate);
        Assert.Equal(12000.5, p.RequestsPerS);
        Assert.Equal((310.0, 400.0, 450.0, 900.0, 2100.0), (p.P50Us, p.P90Us, p.P95Us, p.P99Us, p.MaxUs));
        Assert.True(p.Stable);
        Assert.Equal(3, p.Windows);
        Assert.Equal(31.5, p.ServerCpuUsPerRequest);
        Assert.Equal(640, p.ClientAllocBytesPerRequest);
        Assert.Equal((2.5, 1.5, 6.0, 1.0), (p.ServerQueueUs!.Value, p.ServerComputeInputUs!.Value, p.ServerComputeInferUs!.Value, p.ServerComputeOutputUs!.Value));
        Assert.Null(p.AvgBatch);
    }

    [Theory]
    [InlineData("""{"model":"mlp","points":[]}""")]
    [InlineData("not json")]
    public void Parse_NoPointsOrNotJson_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => BenchRun.Parse(json));
    }

    [Fact]
    public void Plan_Smoke_NoopAndMlpOnlyAtConcurrency1And8()
    {
        var plan = SuitePlan.Create(smoke: true);

        Assert.Equal((1000, 3), (plan.WindowMs, plan.MaxWindows));
        Assert.Equal(["mlp", "noop"], plan.ModelIds.Order(StringComparer.Ordinal));
        Assert.All(plan.Points, p => Assert.Contains(p.Concurrency, new[] { 1, 8 }));
        Assert.All(plan.Points, p => Assert.Null(p.WindowMs));
    }

    [Fact]
    public void Plan_Full_AllocationPointsRunThreeTenSecondWindows()
    {
        var plan = SuitePlan.Create(smoke: false);

        Assert.Equal(["noop", "mlp", "cnn", "tfm"], plan.ModelIds);
        Assert.Equal(plan.Points.Count, plan.Points.Select(p => p.Key).Distinct().Count());
        Assert.Equal(SuitePlan.AllocationWindowMs, plan.Points.Single(p => p.Key == SuitePlan.Saturated("mlp", Modes.GrpcRaw)).WindowMs);
        Assert.All(plan.Points.Where(p => p.BatchFromKey is not null), p => Assert.True(IndexOf(plan, p.BatchFromKey!) < IndexOf(plan, p.Key)));
    }

    [Fact]
    public void Arguments_GrpcPoint_GrpcUrlServerPidAndWindowSettings()
    {
        var plan = SuitePlan.Create(smoke: true);
        var spec = plan.Points.Single(p => p.Key == SuitePlan.Endpoint(Modes.GrpcRaw));

        var args = SuiteRunner.Arguments(plan, spec, 1, "/repo", new ServerAddress("http://127.0.0.1:1000", "http://127.0.0.1:2000", 42), Pinned, "/tmp/p.json");

        Assert.Equal(
            ["bench", "noop", "--mode", "grpc-raw", "-u", "http://127.0.0.1:2000", "--server-pid", "42", "--batch-size", "1", "--concurrency", "8",
             "--window-ms", "1000", "--max-windows", "3", "--stability", "0.15", "--warmup-ms", "1000", "--endpoint", "noop", "--json", "/tmp/p.json"],
            args);
    }

    [Fact]
    public void Arguments_RawPoint_ModelFileAndServerThreadLayoutNoUrl()
    {
        var plan = SuitePlan.Create(smoke: false);
        var spec = plan.Points.Single(p => p.Key == SuitePlan.RawAtExecutedBatch("cnn"));

        var args = SuiteRunner.Arguments(plan, spec, 8, "/repo", null, new CpuLayout([0, 1], [2, 3], 2), "/tmp/p.json");

        Assert.Equal(["bench", "cnn", "--mode", "raw", "--model-file", "/repo/cnn/1/model.onnx", "--instances", "1", "--intra-op-threads", "2", "--batch-size", "8"], args.Take(12));
        Assert.DoesNotContain("-u", args);
    }

    [Fact]
    public void Evaluate_FullPlanWithinEveryBound_AllEightMet()
    {
        var plan = SuitePlan.Create(smoke: false);

        var rows = Goals.Evaluate(GoodResults(plan), plan);

        Assert.Equal(["G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8"], rows.Select(r => r.Id));
        Assert.All(rows, r => Assert.True(r.Verdict == Verdict.Met, $"{r.Id}: {r.Value}"));
    }

    [Fact]
    public void Evaluate_SmokePlan_CnnAndTfmGoalsNotRun()
    {
        var plan = SuitePlan.Create(smoke: true);
        var results = GoodResults(SuitePlan.Create(smoke: false)).Where(kv => plan.Points.Any(p => p.Key == kv.Key)).ToDictionary();

        var rows = Goals.Evaluate(results, plan).ToDictionary(r => r.Id);

        Assert.Equal(Verdict.NotRun, rows["G5"].Verdict);
        Assert.Equal(Verdict.NotRun, rows["G7"].Verdict);
        Assert.All(new[] { "G1", "G2", "G3", "G4", "G6", "G8" }, id => Assert.Equal(Verdict.Met, rows[id].Verdict));
    }

    [Fact]
    public void Evaluate_NoServerCpuFigure_G1NotMet()
    {
        var plan = SuitePlan.Create(smoke: false);
        var results = GoodResults(plan);
        var key = SuitePlan.Saturated("noop", Modes.GrpcRaw);
        results[key] = results[key] with { Point = results[key].Point with { ServerCpuUsPerRequest = null } };

        var g1 = Goals.Evaluate(results, plan)[0];

        Assert.Equal(Verdict.NotMet, g1.Verdict);
        Assert.Contains("no server CPU figure", g1.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MlpCpuTwiceTheEndpoint_G1NotMet()
    {
        var plan = SuitePlan.Create(smoke: false);
        var results = GoodResults(plan);
        var key = SuitePlan.Saturated("mlp", Modes.HttpBinary);
        results[key] = results[key] with { Point = results[key].Point with { ServerCpuUsPerRequest = 55.7 } };

        Assert.Equal(Verdict.NotMet, Goals.Evaluate(results, plan)[0].Verdict);
    }

    [Fact]
    public void Evaluate_Gen2CollectionDuringAllocationPoint_G8NotMet()
    {
        var plan = SuitePlan.Create(smoke: false);
        var results = GoodResults(plan);
        var key = SuitePlan.Saturated("mlp", Modes.GrpcRaw);
        results[key] = results[key] with { Server = results[key].Server! with { Gen2 = 1 } };

        var g8 = Goals.Evaluate(results, plan)[7];

        Assert.Equal(Verdict.NotMet, g8.Verdict);
        Assert.Contains("gen2 1", g8.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BatchingGainsNothing_G6NotMet()
    {
        var plan = SuitePlan.Create(smoke: false);
        var results = GoodResults(plan);
        var key = SuitePlan.MlpBatcherOn;
        results[key] = results[key] with { Point = results[key].Point with { ItemsPerS = 171_000, AvgBatch = 1 } };

        Assert.Equal(Verdict.NotMet, Goals.Evaluate(results, plan)[5].Verdict);
    }

    [Fact]
    public void ExecutedBatch_NoFigureFromLoadGenerator_ComesFromStatsDelta()
    {
        var result = new PointResult(
            new PointSpec("k", "mlp-batched", Modes.GrpcRaw, 64),
            1,
            new BenchPoint(),
            new ServerDelta(0, 0, 0, 0, 0, Requests: 6400, Executions: 400, Seconds: 1),
            "{}");

        Assert.Equal(16, result.ExecutedBatch);
    }

    [Fact]
    public void Markdown_GoodResults_OneTableRowPerGoalAndOnePerPoint()
    {
        var plan = SuitePlan.Create(smoke: false);
        var results = GoodResults(plan);
        var rows = Goals.Evaluate(results, plan);

        var md = Report.Markdown(plan, rows, results.Values.ToList(), ["machine"], []);

        Assert.Equal(8, md.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\| G[1-8] \|")));
        Assert.Equal(8, md.Split('\n').Count(l => l.EndsWith("| MET |", StringComparison.Ordinal)));
        Assert.Equal(plan.Points.Count, md.Split('\n').Count(l => plan.Points.Any(p => l.StartsWith($"| {p.Key} |", StringComparison.Ordinal))));
        Assert.Contains("\"goal\": \"G8\"", Report.Json(plan, rows, results.Values.ToList(), ["machine"], []), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0-1", new[] { 0, 1 })]
    [InlineData("0,2-4,7", new[] { 0, 2, 3, 4, 7 })]
    [InlineData(" 3 ", new[] { 3 })]
    public void ParseList_KernelCpuList_EveryCpu(string text, int[] expected)
    {
        Assert.Equal(expected, CpuLayout.ParseList(text));
    }

    private static int IndexOf(SuitePlan plan, string key) => plan.Points.ToList().FindIndex(p => p.Key == key);

    // Figures inside every bound of benchmarks.md, shaped like this machine kind's measurements.
    private static Dictionary<string, PointResult> GoodResults(SuitePlan plan)
    {
        var results = new Dictionary<string, PointResult>(StringComparer.Ordinal);

        void Add(string key, BenchPoint point, int batch = 1, ServerDelta? server = null)
        {
            var spec = plan.Points.Single(p => p.Key == key);
            results[key] = new PointResult(spec, batch, point with { Concurrency = spec.Concurrency, Stable = true, Windows = 3 }, server, ContractExample);
        }

        static BenchPoint Rate(double rps, double? cpu = null, double p50 = 1000, double p95 = 2000, double p99 = 3000, double? avgBatch = null, double? items = null) =>
            new() { RequestsPerS = rps, ItemsPerS = items ?? rps, ServerCpuUsPerRequest = cpu, P50Us = p50, P95Us = p95, P99Us = p99, AvgBatch = avgBatch };

        var allocation = new ServerDelta(AllocatedBytes: 1_500_000_000, 900, 40, 0, LohBytes: 0, Requests: 1_000_000, Executions: 1_000_000, Seconds: 34);
        foreach (var mode in new[] { Modes.HttpBinary, Modes.GrpcRaw, Modes.HttpJson })
        {
            var json = mode == Modes.HttpJson;
            Add(SuitePlan.Endpoint(mode), Rate(40_000, json ? 30 : 25));
            Add(SuitePlan.Saturated("noop", mode), Rate(39_000, json ? 34 : 26));
            Add(SuitePlan.Saturated("mlp", mode), Rate(37_000, json ? 42 : 30), server: allocation);
            Add(SuitePlan.Single(mode), Rate(8_000, p50: json ? 180 : 120, p99: 1_200));
        }

        Add(SuitePlan.MlpRawSingle, Rate(175_000));
        Add(SuitePlan.MlpBatcherOff, Rate(170_000, avgBatch: 1));
        Add(SuitePlan.MlpBatcherOn, Rate(600_000, avgBatch: 32));
        Add(SuitePlan.MlpRawExecutedBatch, Rate(1_000_000 / 32.0, items: 1_000_000), batch: 32);
        if (!plan.Smoke)
        {
            Add(SuitePlan.Saturated("cnn", Modes.GrpcRaw), Rate(48, avgBatch: 1));
            Add(SuitePlan.RawAtExecutedBatch("cnn"), Rate(50));
            Add(SuitePlan.Saturated("tfm", Modes.GrpcRaw), Rate(60, avgBatch: 1));
            Add(SuitePlan.RawAtExecutedBatch("tfm"), Rate(62));
            Add(SuitePlan.TfmBatching(on: false), Rate(62, p95: 500_000));
            Add(SuitePlan.TfmBatching(on: true), Rate(75, p95: 420_000, avgBatch: 12));
        }

        return results;
    }
}

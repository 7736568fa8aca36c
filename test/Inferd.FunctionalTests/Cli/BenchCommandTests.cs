using System.Globalization;
using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.Cli.Bench;
using Inferd.Testing;
using Inferd.Testing.Models;

namespace Inferd.FunctionalTests.Cli;

/// <summary><c>inferd bench</c> run as a process against the shared test server, and in-process modes.</summary>
public sealed class BenchCommandTests(StandardServer fixture) : IClassFixture<StandardServer>
{
    private static readonly string[] ShortRun = ["--window-ms", "200", "--max-windows", "3", "--warmup-ms", "100"];

    private static readonly string[] PointFields =
    [
        "concurrency", "request_rate", "requests_per_s", "items_per_s", "p50_us", "p90_us", "p95_us", "p99_us", "max_us", "errors",
        "stable", "windows", "server_cpu_us_per_request", "client_alloc_bytes_per_request", "server_queue_us",
        "server_compute_input_us", "server_compute_infer_us", "server_compute_output_us", "avg_batch",
    ];

    [Theory]
    [InlineData("http-json")]
    [InlineData("http-binary")]
    [InlineData("grpc-typed")]
    [InlineData("grpc-raw")]
    public async Task Bench_ServerMode_WritesContractJsonWithThroughputAndNoErrors(string mode)
    {
        using var dir = new TempDirectory();
        var json = Path.Combine(dir.Path, "out.json");
        var url = (mode.StartsWith("grpc", StringComparison.Ordinal) ? fixture.Server.Info.GrpcAddress : fixture.Server.Info.HttpAddress).ToString();

        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            ["bench", "simple", "--mode", mode, "-u", url, "--concurrency", "1,2", "--batch-size", "2", .. ShortRun, "--json", json,
             "--server-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)]);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("REQ/S", stdout, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var root = doc.RootElement;
        Assert.Equal("simple", root.GetProperty("model").GetString());
        Assert.Equal(mode, root.GetProperty("mode").GetString());
        Assert.Equal("infer", root.GetProperty("endpoint").GetString());
        Assert.Equal(2, root.GetProperty("batch_size").GetInt32());
        var points = root.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal([1, 2], points.Select(p => p.GetProperty("concurrency").GetInt32()));
        foreach (var point in points)
        {
            AssertContractPoint(point);
            Assert.Equal(2 * point.GetProperty("requests_per_s").GetDouble(), point.GetProperty("items_per_s").GetDouble(), tolerance: 0.1);
            Assert.True(point.GetProperty("server_cpu_us_per_request").GetDouble() > 0);
            Assert.True(point.GetProperty("server_compute_infer_us").GetDouble() > 0);
            Assert.True(point.GetProperty("avg_batch").GetDouble() >= 1);
        }
    }

    [Theory]
    [InlineData("http-binary")]
    [InlineData("grpc-raw")]
    public async Task Bench_NoopEndpoint_MeasuresTheTransportWithoutServerBreakdown(string mode)
    {
        using var dir = new TempDirectory();
        var json = Path.Combine(dir.Path, "out.json");
        var url = (mode.StartsWith("grpc", StringComparison.Ordinal) ? fixture.Server.Info.GrpcAddress : fixture.Server.Info.HttpAddress).ToString();

        var (exit, stdout, stderr) = await CliRunner.RunAsync(["bench", "simple", "--mode", mode, "-u", url, "--endpoint", "noop", "--concurrency", "2", .. ShortRun, "--json", json]);

        Assert.True(exit == 0, stdout + stderr);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("noop", doc.RootElement.GetProperty("endpoint").GetString());
        var point = Assert.Single(doc.RootElement.GetProperty("points").EnumerateArray().ToArray());
        AssertContractPoint(point);
        Assert.Equal(JsonValueKind.Null, point.GetProperty("server_compute_infer_us").ValueKind);
    }

    [Fact]
    public async Task Bench_RequestRate_OpenLoopPointsCarryTheRate()
    {
        using var dir = new TempDirectory();
        var json = Path.Combine(dir.Path, "out.json");
        var csv = Path.Combine(dir.Path, "out.csv");

        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            ["bench", "simple", "--mode", "http-binary", "-u", fixture.Server.Info.HttpAddress.ToString(), "--request-rate", "100", .. ShortRun, "--json", json, "--csv", csv]);

        Assert.True(exit == 0, stdout + stderr);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var point = Assert.Single(doc.RootElement.GetProperty("points").EnumerateArray().ToArray());
        AssertContractPoint(point);
        Assert.Equal(JsonValueKind.Null, point.GetProperty("concurrency").ValueKind);
        Assert.Equal(100, point.GetProperty("request_rate").GetDouble());
        Assert.StartsWith("Request Rate,Inferences/Second,", (await File.ReadAllLinesAsync(csv))[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_RawModeOnModelFile_WritesJsonAndPerfAnalyzerCsv()
    {
        using var dir = new TempDirectory();
        var model = Path.Combine(dir.Path, "mlp.onnx");
        await File.WriteAllBytesAsync(model, TestModels.Mlp(8, 16, 4, seed: 1));
        var json = Path.Combine(dir.Path, "out.json");
        var csv = Path.Combine(dir.Path, "out.csv");

        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            ["bench", "mlp", "--mode", "raw", "--model-file", model, "--instances", "2", "--intra-op-threads", "1", "--batch-size", "4", .. ShortRun, "--json", json, "--csv", csv]);

        Assert.True(exit == 0, stdout + stderr);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        Assert.Equal("raw", doc.RootElement.GetProperty("mode").GetString());
        var point = Assert.Single(doc.RootElement.GetProperty("points").EnumerateArray().ToArray());
        AssertContractPoint(point);
        Assert.Equal(2, point.GetProperty("concurrency").GetInt32());
        Assert.Equal(JsonValueKind.Null, point.GetProperty("server_queue_us").ValueKind);
        Assert.Equal(JsonValueKind.Null, point.GetProperty("avg_batch").ValueKind);
        var lines = await File.ReadAllLinesAsync(csv);
        Assert.Equal(
            "Concurrency,Inferences/Second,Client Send,Network+Server Send/Recv,Server Queue,Server Compute Input,Server Compute Infer,Server Compute Output,Client Recv,p50 latency,p90 latency,p95 latency,p99 latency",
            lines[0]);
        Assert.Equal(13, lines[1].Split(',').Length);
        Assert.StartsWith("2,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_RawBatcherMode_RunsThroughTheInferenceServiceWithBreakdown()
    {
        using var repo = new TempDirectory();
        ModelRepositoryBuilder.Add(repo.Path, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig);
        var json = Path.Combine(repo.Path, "out.json");

        var (exit, stdout, stderr) = await CliRunner.RunAsync(
            ["bench", "simple", "--mode", "raw-batcher", "--model-repository", repo.Path, "--concurrency", "1,2", .. ShortRun, "--json", json]);

        Assert.True(exit == 0, stdout + stderr);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        var points = doc.RootElement.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(2, points.Length);
        foreach (var point in points)
        {
            AssertContractPoint(point);
            Assert.True(point.GetProperty("server_compute_infer_us").GetDouble() > 0);
        }
    }

    [Theory]
    [InlineData("--concurrency", "1", "--request-rate", "10", "mutually exclusive")]
    [InlineData("--endpoint", "noop", "--model-file", "x.onnx", "needs a transport")]
    public async Task Bench_ConflictingOptions_ExitsWithUsageError(string a, string aValue, string b, string bValue, string expected)
    {
        var mode = a == "--endpoint" ? "raw" : "http-binary";

        var (exit, stdout, stderr) = await CliRunner.RunAsync("bench", "simple", "--mode", mode, a, aValue, b, bValue);

        Assert.Equal(2, exit);
        Assert.Contains(expected, stdout + stderr, StringComparison.Ordinal);
    }

    private static void AssertContractPoint(JsonElement point)
    {
        foreach (var field in PointFields)
        {
            Assert.True(point.TryGetProperty(field, out _), $"missing '{field}' in {point}");
        }

        Assert.True(point.GetProperty("requests_per_s").GetDouble() > 0, point.ToString());
        Assert.Equal(0, point.GetProperty("errors").GetInt64());
        Assert.Equal(3, point.GetProperty("windows").GetInt32());
        var p50 = point.GetProperty("p50_us").GetDouble();
        var p99 = point.GetProperty("p99_us").GetDouble();
        Assert.True(p50 > 0 && p50 <= p99 && p99 <= point.GetProperty("max_us").GetDouble(), point.ToString());
        Assert.True(point.GetProperty("client_alloc_bytes_per_request").GetDouble() >= 0);
    }
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace Inferd.Bench.Suite;

/// <summary>Settings of one suite run.</summary>
/// <param name="Smoke">The smoke plan (short, never fails on a ratio).</param>
/// <param name="OutPath">Markdown report path; the JSON goes beside it (same name, .json) with the server log (.server.log).</param>
/// <param name="CliPath">inferd.dll or the inferd executable.</param>
internal sealed record SuiteOptions(bool Smoke, string OutPath, string CliPath);

/// <summary>
/// Runs the suite: generates the models, starts <c>inferd serve</c>, runs <c>inferd bench</c> once per point, reads the
/// server's counters around each point, and writes the G1–G8 table.
/// </summary>
internal sealed class SuiteRunner(SuiteOptions options, TextWriter stdout, TextWriter progress)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Exit code 0 when every point ran without errors, 1 otherwise. Goal verdicts never change it.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var plan = SuitePlan.Create(options.Smoke);
        var cli = new CliLauncher(options.CliPath);
        if (!File.Exists(cli.CliPath))
        {
            await progress.WriteLineAsync($"inferd CLI not found at {cli.CliPath}; build it first (bench/run.sh does)");
            return 1;
        }

        var layout = CpuLayout.Detect();
        var outPath = Path.GetFullPath(options.OutPath);
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        var stem = Path.Combine(Path.GetDirectoryName(outPath)!, Path.GetFileNameWithoutExtension(outPath));
        var environment = new List<string>
        {
            $"{DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", Inv)} UTC; {Environment.ProcessorCount} cores; {RuntimeInformation.OSDescription}; .NET {Environment.Version}",
            layout.Describe(),
            $"thread layout: 1 instance × {layout.ServerCoreCount} intra-op thread(s) per model, in the server and in raw modes",
        };
        await progress.WriteLineAsync($"suite: {(plan.Smoke ? "smoke" : "full")}, {plan.Points.Count} points; {layout.Describe()}");

        var work = Directory.CreateTempSubdirectory("inferd-bench-");
        var results = new List<PointResult>();
        var failures = new List<string>();
        try
        {
            var repository = Path.Combine(work.FullName, "models");
            await progress.WriteLineAsync($"suite: generating {string.Join(", ", plan.ModelIds)} into {repository}");
            BenchModels.WriteRepository(repository, plan.ModelIds, instances: 1, intraOpThreads: layout.ServerCoreCount, progress);

            await progress.WriteLineAsync("suite: starting inferd serve");
            await using var server = await ServerProcess.StartAsync(cli, repository, layout.ServerCpus, stem + ".server.log", TimeSpan.FromMinutes(3), cancellationToken);
            await progress.WriteLineAsync($"suite: server pid {server.Pid}, REST {server.HttpUrl}, gRPC {server.GrpcUrl}");
            var byKey = new Dictionary<string, PointResult>(StringComparer.Ordinal);
            for (var i = 0; i < plan.Points.Count; i++)
            {
                var spec = plan.Points[i];
                var batch = spec.BatchFromKey is { } from && byKey.TryGetValue(from, out var source)
                    ? Math.Clamp((int)Math.Round(source.ExecutedBatch), 1, BenchModels.Find(spec.Model).MaxBatchSize)
                    : spec.BatchSize;
                var jsonPath = Path.Combine(work.FullName, $"point-{i:D2}.json");
                var arguments = Arguments(plan, spec, batch, repository, server.Address, layout, jsonPath);
                await progress.WriteLineAsync($"[{i + 1}/{plan.Points.Count}] {spec.Key}: inferd {string.Join(' ', arguments)}");
                var window = spec.WindowMs ?? plan.WindowMs;
                var timeout = TimeSpan.FromMilliseconds(plan.WarmupMs + (window * plan.MaxWindows)) + TimeSpan.FromMinutes(2);
                var statsModel = spec.UsesServer && spec.Endpoint == "infer" ? spec.Model : null;
                var before = spec.UsesServer ? await server.ReadCountersAsync(statsModel, cancellationToken) : null;
                var (exitCode, output) = await cli.RunAsync(arguments, spec.UsesServer ? layout.ClientCpus : layout.ServerCpus, timeout, cancellationToken);
                var after = spec.UsesServer ? await server.ReadCountersAsync(statsModel, cancellationToken) : null;
                var result = exitCode == 0 && File.Exists(jsonPath)
                    ? Parse(spec, batch, await File.ReadAllTextAsync(jsonPath, cancellationToken), before is not null && after is not null ? after.Delta(before) : null, out var problem)
                    : Fail($"inferd bench exited with code {exitCode}" + (File.Exists(jsonPath) ? "" : " and wrote no JSON"), out problem);
                if (result is null)
                {
                    failures.Add($"{spec.Key}: {problem}");
                    await progress.WriteLineAsync($"  FAILED: {problem}\n{Indent(output)}");
                    continue;
                }

                byKey[spec.Key] = result;
                results.Add(result);
                var p = result.Point;
                await progress.WriteLineAsync(string.Create(Inv, $"  {p.RequestsPerS:N0} req/s, {p.ItemsPerS:N0} items/s, p50 {p.P50Us:F1} µs, p99 {p.P99Us:F1} µs, server CPU {p.ServerCpuUsPerRequest?.ToString("F1", Inv) ?? "n/a"} µs/req, stable {p.Stable}"));
                if (p.Errors > 0)
                {
                    failures.Add($"{spec.Key}: {p.Errors} request errors");
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
        {
            failures.Add("suite: " + ex.Message);
            await progress.WriteLineAsync("suite: " + ex.Message);
        }
        finally
        {
            TryDelete(work);
        }

        var rows = Goals.Evaluate(results.ToDictionary(r => r.Spec.Key, StringComparer.Ordinal), plan);
        var markdown = Report.Markdown(plan, rows, results, environment, failures);
        await File.WriteAllTextAsync(outPath, markdown, cancellationToken);
        await File.WriteAllTextAsync(stem + ".json", Report.Json(plan, rows, results, environment, failures), cancellationToken);
        await stdout.WriteAsync(markdown);
        await progress.WriteLineAsync($"suite: wrote {outPath} and {stem}.json");
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The <c>inferd bench</c> arguments of one point (the load generator's contract).</summary>
    internal static List<string> Arguments(SuitePlan plan, PointSpec spec, int batch, string repository, ServerAddress? server, CpuLayout layout, string jsonPath)
    {
        static string S(double v) => v.ToString(Inv);
        var arguments = new List<string> { "bench", spec.Model, "--mode", spec.Mode };
        if (spec.Mode == Modes.Raw)
        {
            arguments.AddRange(["--model-file", Path.Combine(repository, spec.Model, "1", "model.onnx")]);
            arguments.AddRange(["--instances", "1", "--intra-op-threads", S(layout.ServerCoreCount)]);
        }
        else if (spec.Mode == Modes.RawBatcher)
        {
            arguments.AddRange(["--model-repository", repository]);
        }
        else if (server is not null)
        {
            arguments.AddRange(["-u", Modes.Grpc(spec.Mode) ? server.GrpcUrl : server.HttpUrl, "--server-pid", S(server.Pid)]);
        }

        arguments.AddRange(
        [
            "--batch-size", S(batch),
            "--concurrency", S(spec.Concurrency),
            "--window-ms", S(spec.WindowMs ?? plan.WindowMs),
            "--max-windows", S(plan.MaxWindows),
            "--stability", S(plan.Stability),
            "--warmup-ms", S(plan.WarmupMs),
            "--endpoint", spec.Endpoint,
            "--json", jsonPath,
        ]);
        return arguments;
    }

    /// <summary>A result from the load generator's JSON (its first point), or null with the reason.</summary>
    internal static PointResult? Parse(PointSpec spec, int batch, string json, ServerDelta? server, out string problem)
    {
        try
        {
            var run = BenchRun.Parse(json);
            problem = "";
            return new PointResult(spec, batch, run.Points[0], server, json);
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    private static PointResult? Fail(string reason, out string problem)
    {
        problem = reason;
        return null;
    }

    private static string Indent(string text) =>
        string.Join('\n', text.TrimEnd().Split('\n').TakeLast(40).Select(l => "    " + l));

    private static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

using System.CommandLine;
using System.Globalization;
using Inferd.Cli.Bench;

namespace Inferd.Cli.Commands;

/// <summary>
/// <c>inferd bench</c>: a load generator with perf_analyzer's semantics (benchmarks.md, "Method"): closed-loop
/// concurrency sweeps or open-loop Poisson rates, stable windows, latency percentiles and the server breakdown.
/// </summary>
internal static class BenchCommand
{
    private static readonly int[] DefaultConcurrency = [1, 2, 4, 8, 16, 32, 64];

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Model name (raw mode: only a label unless --model-repository locates the file)." };
        var mode = new Option<string>("--mode")
        {
            Description = "raw (in-process ONNX Runtime), raw-batcher (in-process through Inferd's scheduler), http-json, http-binary, grpc-typed or grpc-raw.",
            Required = true,
            HelpName = "MODE",
        };
        mode.AcceptOnlyFromAmong("raw", "raw-batcher", "http-json", "http-binary", "grpc-typed", "grpc-raw");
        var url = new Option<string?>("--url", "-u")
        {
            Description = "Server address. http modes default to http://127.0.0.1:8000, grpc modes to http://127.0.0.1:8001 (h2c).",
            HelpName = "URL",
        };
        var modelFile = new Option<string?>("--model-file") { Description = "raw mode: the ONNX file to run.", HelpName = "PATH" };
        var repository = new Option<string?>("--model-repository")
        {
            Description = "raw-batcher mode: the model repository to serve in-process (raw mode: finds MODEL/1/model.onnx when --model-file is not given).",
            HelpName = "DIR",
        };
        var instances = new Option<int>("--instances") { Description = "raw mode: sessions, each with its own worker thread.", DefaultValueFactory = _ => 1, HelpName = "N" };
        var intraOp = new Option<int?>("--intra-op-threads") { Description = "raw mode: intra-op threads per session (default: cores / instances).", HelpName = "N" };
        var batchSize = new Option<int>("--batch-size", "-b") { Description = "Items per request (first dimension when the model batches).", DefaultValueFactory = _ => 1, HelpName = "B" };
        var concurrency = new Option<string?>("--concurrency")
        {
            Description = "Closed loop: outstanding requests per point, comma-separated. Default 1,2,4,8,16,32,64 (raw mode: --instances).",
            HelpName = "N,N,...",
        };
        var rates = new Option<string?>("--request-rate")
        {
            Description = "Open loop: Poisson arrivals per second per point, comma-separated; latency counts from the scheduled send time.",
            HelpName = "R,R,...",
        };
        var windowMs = new Option<int>("--window-ms") { Description = "Measurement window.", DefaultValueFactory = _ => 5000, HelpName = "MS" };
        var maxWindows = new Option<int>("--max-windows") { Description = "Windows before a point is reported unstable.", DefaultValueFactory = _ => 10, HelpName = "N" };
        var stability = new Option<double>("--stability")
        {
            Description = "The last 3 windows must agree within this fraction on throughput and p95.",
            DefaultValueFactory = _ => 0.15,
            HelpName = "FRACTION",
        };
        var warmupMs = new Option<int>("--warmup-ms") { Description = "Warm-up before the first point: at least this long and 200 requests (0: none).", DefaultValueFactory = _ => 2000, HelpName = "MS" };
        var endpoint = new Option<string>("--endpoint")
        {
            Description = "infer, or noop: the transport's no-op (GET /v2/health/live, gRPC ServerLive) as the transport floor.",
            DefaultValueFactory = _ => "infer",
            HelpName = "infer|noop",
        };
        endpoint.AcceptOnlyFromAmong("infer", "noop");
        var serverPid = new Option<int?>("--server-pid") { Description = "Server process: CPU µs per request from /proc/PID/stat.", HelpName = "PID" };
        var csv = new Option<string?>("--csv") { Description = "Write perf_analyzer's CSV columns to FILE.", HelpName = "FILE" };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON to FILE.", HelpName = "FILE" };

        var command = new Command("bench", "Measure throughput and latency with perf_analyzer's method (closed or open loop, stable windows).")
        {
            model, mode, url, modelFile, repository, instances, intraOp, batchSize, concurrency, rates, windowMs, maxWindows, stability,
            warmupMs, endpoint, serverPid, csv, json,
        };

        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var benchMode = ParseMode(parseResult.GetValue(mode)!);
            var concurrencyText = parseResult.GetValue(concurrency);
            var ratesText = parseResult.GetValue(rates);
            if (concurrencyText is not null && ratesText is not null)
            {
                throw new UsageException("--concurrency and --request-rate are mutually exclusive");
            }

            var settings = new BenchSettings
            {
                Model = parseResult.GetValue(model)!,
                Mode = benchMode,
                Noop = parseResult.GetValue(endpoint) == "noop",
                ModelRepository = parseResult.GetValue(repository),
                ModelFile = parseResult.GetValue(modelFile),
                Instances = Positive(parseResult.GetValue(instances), "--instances"),
                IntraOpThreads = parseResult.GetValue(intraOp) is { } t ? Positive(t, "--intra-op-threads") : null,
                BatchSize = Positive(parseResult.GetValue(batchSize), "--batch-size"),
                Concurrency = ratesText is null ? (concurrencyText is null ? DefaultConcurrency : ParseList(concurrencyText, "--concurrency", int.Parse)) : [],
                RequestRates = ratesText is null ? [] : ParseList(ratesText, "--request-rate", double.Parse),
                Window = TimeSpan.FromMilliseconds(Positive(parseResult.GetValue(windowMs), "--window-ms")),
                MaxWindows = Math.Max(StabilityRule.Windows, Positive(parseResult.GetValue(maxWindows), "--max-windows")),
                Stability = parseResult.GetValue(stability) is var s and > 0 ? s : throw new UsageException("--stability must be positive"),
                Warmup = TimeSpan.FromMilliseconds(Math.Max(0, parseResult.GetValue(warmupMs))),
                ServerPid = parseResult.GetValue(serverPid),
            };
            settings = Complete(settings, parseResult.GetValue(url));

            await using var target = await CreateTargetAsync(settings, cancellationToken);
            var runner = new LoadRunner(target, settings, Console.Error);
            var points = settings.RequestRates.Count > 0
                ? settings.RequestRates.Select(r => new LoadPoint(null, r)).ToArray()
                : target.FixedWorkers is { } workers
                    ? [new LoadPoint(workers, null)]
                    : settings.Concurrency.Select(c => new LoadPoint(c, null)).ToArray();
            var results = new List<PointResult>();
            foreach (var point in points)
            {
                var result = await runner.RunAsync(point, cancellationToken);
                results.Add(result);
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"inferd bench: {(point.RequestRate is { } r ? $"rate {r}/s" : $"concurrency {point.Concurrency}")}: {result.RequestsPerSecond:F1} req/s, p95 {result.P95Us:F1} µs, {(result.Stable ? "stable" : "not stable")}"));
            }

            Console.Out.Write(BenchReport.Table(settings, results));
            if (parseResult.GetValue(csv) is { } csvPath)
            {
                await File.WriteAllTextAsync(csvPath, BenchReport.Csv(settings, results), cancellationToken);
            }

            if (parseResult.GetValue(json) is { } jsonPath)
            {
                await File.WriteAllTextAsync(jsonPath, BenchReport.Json(settings, results), cancellationToken);
            }

            return Cli.SuccessExitCode;
        }));
        return command;
    }

    private static BenchSettings Complete(BenchSettings settings, string? url)
    {
        switch (settings.Mode)
        {
            case BenchMode.Raw:
                var file = settings.ModelFile
                    ?? (settings.ModelRepository is { } repo ? Path.Combine(repo, settings.Model, "1", "model.onnx") : null)
                    ?? throw new UsageException("raw mode needs --model-file PATH (or --model-repository DIR)");
                return NoNoop(settings) with { ModelFile = file };
            case BenchMode.RawBatcher:
                return settings.ModelRepository is null
                    ? throw new UsageException("raw-batcher mode needs --model-repository DIR")
                    : NoNoop(settings);
            default:
                var grpc = settings.Mode is BenchMode.GrpcRaw or BenchMode.GrpcTyped;
                var (address, grpcUrl) = ServerEndpoint.Resolve(url, grpc);
                return grpcUrl && !grpc
                    ? throw new UsageException($"--url {url} is a grpc:// address, but mode {BenchReport.ModeName(settings.Mode)} speaks HTTP")
                    : settings with { Address = address };
        }
    }

    private static BenchSettings NoNoop(BenchSettings settings) =>
        settings.Noop ? throw new UsageException($"--endpoint noop needs a transport; mode {BenchReport.ModeName(settings.Mode)} has none") : settings;

    private static async Task<BenchTarget> CreateTargetAsync(BenchSettings settings, CancellationToken cancellationToken) => settings.Mode switch
    {
        BenchMode.Raw => RawBenchTarget.Create(settings),
        BenchMode.RawBatcher => await BatcherBenchTarget.CreateAsync(settings, cancellationToken),
        BenchMode.HttpJson => await HttpBenchTarget.CreateAsync(settings, binary: false, cancellationToken),
        BenchMode.HttpBinary => await HttpBenchTarget.CreateAsync(settings, binary: true, cancellationToken),
        BenchMode.GrpcTyped => await GrpcBenchTarget.CreateAsync(settings, raw: false, cancellationToken),
        BenchMode.GrpcRaw => await GrpcBenchTarget.CreateAsync(settings, raw: true, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(settings)),
    };

    private static BenchMode ParseMode(string text) => text switch
    {
        "raw" => BenchMode.Raw,
        "raw-batcher" => BenchMode.RawBatcher,
        "http-json" => BenchMode.HttpJson,
        "http-binary" => BenchMode.HttpBinary,
        "grpc-typed" => BenchMode.GrpcTyped,
        "grpc-raw" => BenchMode.GrpcRaw,
        _ => throw new UsageException($"--mode {text} is not a mode"),
    };

    private static T[] ParseList<T>(string text, string option, Func<string, IFormatProvider, T> parse)
        where T : IComparable<T>
    {
        try
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => parse(v, CultureInfo.InvariantCulture))
                .ToArray();
            return values.Length > 0 && values.All(v => v.CompareTo(default) > 0)
                ? values
                : throw new UsageException($"{option} needs positive numbers, e.g. 1,2,4");
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"{option} '{text}': {e.Message}");
        }
    }

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new UsageException($"{option} must be positive");
}

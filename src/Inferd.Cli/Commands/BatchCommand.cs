using System.CommandLine;
using System.Globalization;
using Inferd.Backends.OnnxRuntime;
using Inferd.Batch.Jobs;
using Inferd.Batch.Scoring;
using Inferd.Cli.Batch;
using Inferd.Core.Inference;
using Inferd.Processing.Pipelines;

namespace Inferd.Cli.Commands;

/// <summary><c>inferd batch</c>: scores a data set with exactly-once, resumable output.</summary>
internal static class BatchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model to score with.", Required = true, HelpName = "NAME" };
        var version = new Option<string?>("--model-version") { Description = "Model version (default: the version policy's choice).", HelpName = "VERSION" };
        var input = new Option<string[]>("--input", "-i") { Description = "Input file(s) or one folder: .csv, .jsonl, .parquet, or a folder of images or text files (one row per file).", Required = true, HelpName = "PATH", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--output", "-o") { Description = "Output file (out.csv, out.jsonl, out.parquet: one file when the job completes) or folder (part files).", Required = true, HelpName = "PATH" };
        var repository = new Option<string?>("--model-repository") { Description = "Score in process with this model repository (the fast path).", HelpName = "DIR" };
        var server = new ServerEndpoint();
        var remote = new Option<bool>("--server") { Description = "Score against a running server (--url, --protocol) instead of in process." };
        var inputFormat = new Option<string?>("--input-format") { Description = "csv, jsonl, parquet or files (default: from extensions).", HelpName = "FORMAT" };
        var outputFormat = new Option<string?>("--output-format") { Description = "csv, jsonl or parquet (default: from the output's extension, else the input's).", HelpName = "FORMAT" };
        var idColumn = new Option<string?>("--id-column") { Description = "Column that keys each row in the output and error file (default: file and row number).", HelpName = "COLUMN" };
        var inputMap = new Option<string[]>("--input-map") { Description = "INPUT=COLUMN[,COLUMN...]: the columns that fill a model input (default: the column named like the input; with one input, every column but the id).", HelpName = "MAP", AllowMultipleArgumentsPerToken = true };
        var outputMap = new Option<string[]>("--output-map") { Description = "OUTPUT=COLUMN: write only these outputs, under these column names (default: every output under its name).", HelpName = "MAP", AllowMultipleArgumentsPerToken = true };
        var shardRows = new Option<int>("--shard-rows") { Description = "Rows per shard, the unit of commit and resume.", DefaultValueFactory = _ => 10_000, HelpName = "N" };
        var shardIndex = new Option<int?>("--shard-index") { Description = "This worker's index (default: $JOB_COMPLETION_INDEX, else 0).", HelpName = "I" };
        var shardCount = new Option<int>("--shard-count") { Description = "Workers splitting the input; worker I takes shards with number % count == I.", DefaultValueFactory = _ => 1, HelpName = "N" };
        var maxErrors = new Option<long?>("--max-errors") { Description = "Stop once more rows than this have failed (default: no limit).", HelpName = "N" };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per request (default: the model's preferred batch size).", HelpName = "N" };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight (default: the model's instances, at least 2).", HelpName = "N" };
        var progress = new Option<string>("--progress") { Description = "auto (a bar in a terminal, lines otherwise), bar, lines or none.", DefaultValueFactory = _ => "auto" };
        var interval = new Option<double>("--progress-interval") { Description = "Seconds between progress lines when not in a terminal.", DefaultValueFactory = _ => 10, HelpName = "SECONDS" };
        progress.AcceptOnlyFromAmong("auto", "bar", "lines", "none");
        var command = new Command(
            "batch",
            "Score a data set with a model. Output is exactly-once: the input is cut into shards, each committed atomically; run the same command again after a crash and it resumes. Bad rows go to an error file with their key and reason.")
        {
            model, version, input, output, repository, remote, inputFormat, outputFormat, idColumn, inputMap, outputMap,
            shardRows, shardIndex, shardCount, maxErrors, batchSize, concurrency, progress, interval,
        };
        server.AddTo(command);

        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var spec = new BatchJobSpec
            {
                Model = parseResult.GetValue(model)!,
                Version = parseResult.GetValue(version),
                Inputs = parseResult.GetValue(input)!,
                Output = parseResult.GetValue(output)!,
                InputFormat = parseResult.GetValue(inputFormat),
                OutputFormat = parseResult.GetValue(outputFormat),
                IdColumn = parseResult.GetValue(idColumn),
                InputMap = ParseMap(parseResult.GetValue(inputMap), "--input-map").ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)),
                OutputMap = ParseMap(parseResult.GetValue(outputMap), "--output-map"),
                ShardRows = parseResult.GetValue(shardRows),
                ShardIndex = parseResult.GetValue(shardIndex) ?? JobCompletionIndex(),
                ShardCount = parseResult.GetValue(shardCount),
                MaxErrors = parseResult.GetValue(maxErrors),
                BatchSize = parseResult.GetValue(batchSize),
                Concurrency = parseResult.GetValue(concurrency),
            };
            var repo = parseResult.GetValue(repository);
            var useServer = parseResult.GetValue(remote) || parseResult.GetResult(server.Url) is not null;
            if (useServer == (repo is not null))
            {
                throw new UsageException("give either --model-repository DIR (score in process) or --server [--url URL] (score on a running server)");
            }

            if (repo is not null && !Directory.Exists(repo))
            {
                throw new UsageException($"the model repository folder does not exist: {repo}");
            }

            await using var service = repo is null ? null : await SingleModelService.StartAsync(repo, spec.Model, new PipelineBackend(new OnnxRuntimeBackend()), cancellationToken);
            await using IBatchScorer scorer = service is not null
                ? InProcessScorer.Create(service, spec.Model, spec.Version)
                : await RemoteScorer.CreateAsync(server.CreateClient(parseResult), spec.Model, spec.Version, cancellationToken);
            BatchJobSummary summary;
            using (var printer = new BatchProgressPrinter(parseResult.GetValue(progress)!, TimeSpan.FromSeconds(Math.Max(0.1, parseResult.GetValue(interval)))))
            {
                try
                {
                    summary = await BatchJobRunner.RunAsync(spec, scorer, printer, cancellationToken);
                }
                catch (BatchJobException e)
                {
                    Console.Error.WriteLine("inferd batch: " + e.Message);
                    return Cli.FailureExitCode;
                }
                catch (BatchScoringException e)
                {
                    Console.Error.WriteLine("inferd batch: the model kept failing: " + e.Message + " (committed shards are kept; run the same command again to resume)");
                    return Cli.FailureExitCode;
                }
            }

            PrintSummary(summary);
            return Cli.SuccessExitCode;
        }));
        return command;
    }

    private static void PrintSummary(BatchJobSummary s)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Create(inv, $"rows in {s.RowsIn:N0}, rows out {s.RowsOut:N0}, errors {s.Errors:N0}, already done by an earlier run {s.RowsAlreadyDone:N0}"));
        Console.Out.WriteLine(string.Create(inv, $"job total: {s.TotalRowsOut:N0} rows out, {s.TotalErrors:N0} errors; {s.ShardsCommitted} shards committed now, {s.ShardsRedone} redone"));
        Console.Out.WriteLine(string.Create(inv, $"time {s.Elapsed.TotalSeconds:0.00} s, {s.RowsPerSecond:N0} rows/s"));
        Console.Out.WriteLine("output " + s.OutputPath);
        if (s.ErrorsPath is not null)
        {
            Console.Out.WriteLine("errors " + s.ErrorsPath);
        }
    }

    private static int JobCompletionIndex()
    {
        // Kubernetes Indexed Jobs give each pod its index in this variable.
        var text = Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX");
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new UsageException($"JOB_COMPLETION_INDEX is '{text}', not a number");
    }

    private static Dictionary<string, string> ParseMap(string[]? items, string option)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items ?? [])
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == item.Length - 1)
            {
                throw new UsageException($"{option} takes NAME=VALUE, got '{item}'");
            }

            if (!map.TryAdd(item[..eq].Trim(), item[(eq + 1)..].Trim()))
            {
                throw new UsageException($"{option} names '{item[..eq]}' twice");
            }
        }

        return map;
    }
}

using System.CommandLine;
using Inferd.Bench;
using Inferd.Bench.Batch;
using Inferd.Bench.Explain;
using Inferd.Bench.Pipelines;
using Inferd.Bench.PredictionLog;
using Inferd.Bench.Suite;

var root = new RootCommand("Inferd benchmark suite: generates the benchmark models and runs the G1–G8 measurements of benchmarks.md.")
{
    ModelsCommand(),
    SuiteCommand(),
    GrpcBodyCommand(),
    BatchCommand.Create(),
    PipelineBenchCommand.Create(),
    PredictionLogBenchCommand.Create(),
    ExplainBenchCommand.Create(),
};

var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    foreach (var error in parseResult.Errors)
    {
        Console.Error.WriteLine("inferd-bench: " + error.Message);
    }

    return 2;
}

return await parseResult.InvokeAsync();

static Command ModelsCommand()
{
    var output = new Option<string>("--out") { Description = "Model repository to write.", HelpName = "DIR", DefaultValueFactory = _ => RepoPaths.Default("bench", "models") };
    var only = new Option<string[]>("--only") { Description = "Model ids to write (default: noop, mlp, cnn, tfm); each also gets its -batched variant.", HelpName = "ID", AllowMultipleArgumentsPerToken = true };
    var instances = new Option<int>("--instances") { Description = "Sessions per model (instance_group count).", DefaultValueFactory = _ => 1, HelpName = "N" };
    var threads = new Option<int>("--intra-op-threads") { Description = "intra_op_thread_count per session; 0 leaves the server's default.", DefaultValueFactory = _ => 0, HelpName = "N" };
    var command = new Command("models", "Write the benchmark model repository: noop, mlp, cnn, tfm and their -batched variants (fixed seeds).")
    {
        output, only, instances, threads,
    };
    command.SetAction(parseResult =>
    {
        var ids = parseResult.GetValue(only) is { Length: > 0 } list ? list.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries)) : null;
        var dir = parseResult.GetValue(output)!;
        try
        {
            BenchModels.WriteRepository(dir, ids, parseResult.GetValue(instances), parseResult.GetValue(threads), Console.Out);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("inferd-bench: " + ex.Message);
            return 2;
        }

        Console.WriteLine("wrote " + Path.GetFullPath(dir));
        return 0;
    });
    return command;
}

static Command SuiteCommand()
{
    var smoke = new Option<bool>("--smoke") { Description = "1 s windows, at most 3, noop and mlp at concurrency 1 and 8; fails only when a run fails." };
    var output = new Option<string>("--out") { Description = "Markdown report; the raw JSON and the server log go beside it.", HelpName = "FILE", DefaultValueFactory = _ => RepoPaths.Default("bench", "results", "latest.md") };
    var cli = new Option<string>("--cli") { Description = "inferd.dll or the inferd executable (default: artifacts/cli/inferd.dll).", HelpName = "PATH", DefaultValueFactory = _ => RepoPaths.Default("artifacts", "cli", "inferd.dll") };
    var command = new Command("suite", "Run the benchmark suite against a child `inferd serve` with `inferd bench` and print the G1–G8 table.")
    {
        smoke, output, cli,
    };
    command.SetAction(async (parseResult, cancellationToken) =>
    {
        var options = new SuiteOptions(parseResult.GetValue(smoke), parseResult.GetValue(output)!, parseResult.GetValue(cli)!);
        try
        {
            return await new SuiteRunner(options, Console.Out, Console.Error).RunAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("inferd-bench: interrupted");
            return 130;
        }
    });
    return command;
}

static Command GrpcBodyCommand()
{
    var model = new Option<string>("--model") { Description = "Suite model (noop, mlp, cnn, tfm or a -batched one).", Required = true, HelpName = "ID" };
    var output = new Option<string>("--out") { Description = "Body file to write.", Required = true, HelpName = "FILE" };
    var batch = new Option<int>("--batch-size") { Description = "Items in the request.", DefaultValueFactory = _ => 1, HelpName = "B" };
    var command = new Command("grpc-body", "Write a framed gRPC ModelInferRequest (0x00, 4-byte big-endian length, message) for h2load -d.")
    {
        model, output, batch,
    };
    command.SetAction(parseResult =>
    {
        try
        {
            var body = GrpcBody.Frame(GrpcBody.Request(parseResult.GetValue(model)!, parseResult.GetValue(batch)));
            File.WriteAllBytes(parseResult.GetValue(output)!, body);
            Console.WriteLine($"wrote {body.Length} bytes to {Path.GetFullPath(parseResult.GetValue(output)!)}");
            return 0;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine("inferd-bench: " + ex.Message);
            return 2;
        }
    });
    return command;
}

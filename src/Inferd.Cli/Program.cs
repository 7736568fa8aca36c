using System.CommandLine;
using Inferd.Cli;
using Inferd.Cli.Commands;

var root = new RootCommand(
    "Inferd: an ONNX Runtime inference server speaking the Open Inference Protocol (KServe v2, Triton superset) over REST and gRPC.")
{
    ServeCommand.Create(),
    InferCommand.Create(),
    PredictCommand.Create(),
    ModelsCommand.Create(),
    ValidateCommand.Create(),
    BenchCommand.Create(),
    BatchCommand.Create(),
    ZooCommand.Create(),
    ProfileCommand.Create(),
    DriftCommand.Create(),
    ExplainCommand.Create(),
    AccuracyCommand.Create(),
    FairnessCommand.Create(),
    AlertsCommand.Create(),
};

var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    foreach (var error in parseResult.Errors)
    {
        Console.Error.WriteLine("inferd: " + error.Message);
    }

    Console.Error.WriteLine($"Run '{Cli.CommandPath(parseResult)} --help' for usage.");
    return Cli.UsageExitCode;
}

// Commands handle SIGINT/SIGTERM themselves: `serve` needs up to --exit-timeout-secs to drain, longer than the
// parser's default two-second grace before it ends the process.
return await parseResult.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

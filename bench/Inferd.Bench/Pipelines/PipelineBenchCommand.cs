using System.CommandLine;

namespace Inferd.Bench.Pipelines;

/// <summary>The <c>pipeline</c> verb: what a pipeline costs over running its ONNX file directly.</summary>
internal static class PipelineBenchCommand
{
    public static Command Create()
    {
        var smoke = new Option<bool>("--smoke") { Description = "200 runs per case: checks that every case runs, says nothing about speed." };
        var runs = new Option<int?>("--runs") { Description = "Timed runs per case (default 2,000; 200 with --smoke).", HelpName = "N" };
        var command = new Command("pipeline", "Pipeline overhead in one process: allocated bytes per request and latency against the ONNX file run directly, and two branches in parallel against the same two steps in a chain.")
        {
            smoke, runs,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(runs) ?? (parseResult.GetValue(smoke) ? 200 : 2_000);
            return await new PipelineBenchRunner(count, Console.Out).RunAsync(cancellationToken);
        });
        return command;
    }
}

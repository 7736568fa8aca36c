using System.CommandLine;

namespace Inferd.Bench.Explain;

/// <summary>The <c>explain</c> verb (bench/explain.sh): latency of exact Kernel SHAP on a 10-feature model against raw ONNX Runtime.</summary>
internal static class ExplainBenchCommand
{
    public static Command Create()
    {
        var smoke = new Option<bool>("--smoke") { Description = "One warm-up and one timed explanation: checks that it runs and adds up, says nothing about speed." };
        var rounds = new Option<int?>("--rounds") { Description = "Timed explanations, each followed by its raw ONNX Runtime baseline (default 15; 1 with --smoke).", HelpName = "N" };
        var threads = new Option<int>("--intra-op-threads") { Description = "intra_op_thread_count of the model's session and of the raw baseline; 0 for the server's default (every core).", DefaultValueFactory = _ => 0, HelpName = "N" };
        var command = new Command("explain", "Exact Kernel SHAP through the in-process facade on a 10-feature MLP with 100 background rows: latency, model evaluations and calls, against raw ONNX Runtime running the same rows in the same batches.")
        {
            smoke, rounds, threads,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var count = parseResult.GetValue(rounds) ?? (parseResult.GetValue(smoke) ? 1 : 15);
            var intra = parseResult.GetValue(threads);
            if (count < 1 || intra < 0)
            {
                Console.Error.WriteLine("inferd-bench: --rounds must be positive and --intra-op-threads not negative");
                return 2;
            }

            return await new ExplainBenchRunner(count, intra, Console.Out).RunAsync(cancellationToken);
        });
        return command;
    }
}

using System.CommandLine;

namespace Inferd.Bench.Batch;

/// <summary>The <c>batch</c> verb's options and action.</summary>
internal static class BatchCommand
{
    public static Command Create()
    {
        var rows = new Option<int?>("--rows") { Description = "Rows of the generated input (default 200,000; 20,000 with --smoke).", HelpName = "N" };
        var rounds = new Option<int?>("--rounds") { Description = "Rounds of raw, csv, parquet before the closing raw window (default 3; 1 with --smoke).", HelpName = "N" };
        var rawSeconds = new Option<double?>("--raw-seconds") { Description = "Length of each timed raw ONNX Runtime window (default 3; 1 with --smoke).", HelpName = "S" };
        var smoke = new Option<bool>("--smoke") { Description = "20,000 rows, one round, 1 s raw windows: checks that every path runs, says nothing about speed." };
        var repository = new Option<string?>("--model-repository") { Description = "Use this model repository instead of writing the benchmark model.", HelpName = "DIR" };
        var model = new Option<string>("--model") { Description = "Model name (default mlp-batched: 64 floats → 256 → 256 → 10, max and preferred batch 64; mlp-wide-batched: 64 → 1024 → 1024 → 10).", HelpName = "NAME", DefaultValueFactory = _ => "mlp-batched" };
        var work = new Option<string?>("--work") { Description = "Folder for inputs and outputs, kept afterwards (default: a temporary folder, deleted).", HelpName = "DIR" };
        var json = new Option<string?>("--json") { Description = "Write the figures (samples, medians, settings, profile) to this file as JSON.", HelpName = "FILE" };
        var profile = new Option<bool>("--profile") { Description = "After the rounds, time each stage of the job alone once (read, parse, job without model, facade, write)." };
        var instances = new Option<int>("--instances") { Description = "Sessions of the written model (default 1).", DefaultValueFactory = _ => 1, HelpName = "N" };
        var threads = new Option<int>("--intra-op-threads") { Description = "intra_op_thread_count per session of the written model; 0 for the server's default.", DefaultValueFactory = _ => 0, HelpName = "N" };
        var command = new Command("batch", "Batch-job rows/s over CSV and Parquet against raw ONNX Runtime on the same model, batch size and threads, in one process.")
        {
            rows, rounds, rawSeconds, smoke, repository, model, instances, threads, work, json, profile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var defaults = parseResult.GetValue(smoke) ? BatchBenchOptions.Smoke(new BatchBenchOptions()) : new BatchBenchOptions();
            var options = defaults with
            {
                Rows = parseResult.GetValue(rows) ?? defaults.Rows,
                Rounds = parseResult.GetValue(rounds) ?? defaults.Rounds,
                RawSeconds = parseResult.GetValue(rawSeconds) ?? defaults.RawSeconds,
                Repository = parseResult.GetValue(repository),
                Model = parseResult.GetValue(model)!,
                Instances = parseResult.GetValue(instances),
                IntraOpThreads = parseResult.GetValue(threads),
                WorkFolder = parseResult.GetValue(work),
                JsonPath = parseResult.GetValue(json),
                Profile = parseResult.GetValue(profile),
            };
            try
            {
                await new BatchBenchRunner(options, Console.Out, Console.Error).RunAsync(cancellationToken);
                return 0;
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine("inferd-bench: " + ex.Message);
                return 2;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Console.Error.WriteLine("inferd-bench: interrupted");
                return 130;
            }
        });
        return command;
    }
}

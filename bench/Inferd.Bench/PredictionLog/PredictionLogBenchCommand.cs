using System.CommandLine;

namespace Inferd.Bench.PredictionLog;

/// <summary>The <c>monitoring</c> verb (bench/monitoring.sh): request throughput with the prediction log off, best-effort and durable.</summary>
internal static class PredictionLogBenchCommand
{
    public static Command Create()
    {
        var smoke = new Option<bool>("--smoke") { Description = "mlp only, one round of 0.5 s windows: checks that every mode runs, says nothing about speed." };
        var models = new Option<string[]>("--model") { Description = "Benchmark models to run, each in its own table (default: mlp and mlp-wide; mlp with --smoke).", HelpName = "ID", AllowMultipleArgumentsPerToken = true };
        var rounds = new Option<int?>("--rounds") { Description = "Interleaved rounds (default 5; 1 with --smoke).", HelpName = "N" };
        var window = new Option<double?>("--window") { Description = "Seconds per mode per round (default 3; 0.5 with --smoke).", HelpName = "SECONDS" };
        var callers = new Option<int>("--callers") { Description = "Concurrent callers.", HelpName = "N", DefaultValueFactory = _ => 8 };
        var folder = new Option<string>("--dir") { Description = "Folder for the SQLite files (on the disk to measure; emptied first).", HelpName = "DIR", DefaultValueFactory = _ => RepoPaths.Default("artifacts", "bench", "prediction-log") };
        var command = new Command("monitoring", "Request throughput through the in-process facade with the prediction log off, best-effort and durable (SQLite), interleaved in one run.")
        {
            smoke, models, rounds, window, callers, folder,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var isSmoke = parseResult.GetValue(smoke);
            var ids = parseResult.GetValue(models) is { Length: > 0 } given
                ? given.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray()
                : isSmoke ? ["mlp"] : ["mlp", "mlp-wide"];
            var options = new PredictionLogBenchOptions(
                ids,
                parseResult.GetValue(rounds) ?? (isSmoke ? 1 : 5),
                TimeSpan.FromSeconds(parseResult.GetValue(window) ?? (isSmoke ? 0.5 : 3)),
                parseResult.GetValue(callers),
                parseResult.GetValue(folder)!);
            if (options.Rounds < 1 || options.Window <= TimeSpan.Zero || options.Callers < 1)
            {
                Console.Error.WriteLine("inferd-bench: --rounds, --window and --callers must be positive");
                return 2;
            }

            try
            {
                foreach (var id in ids)
                {
                    BenchModels.Find(id);
                }
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("inferd-bench: " + e.Message);
                return 2;
            }

            var status = 0;
            foreach (var id in ids)
            {
                status = Math.Max(status, await new PredictionLogBenchRunner(options, id, Console.Out).RunAsync(cancellationToken));
            }

            return status;
        });
        return command;
    }
}

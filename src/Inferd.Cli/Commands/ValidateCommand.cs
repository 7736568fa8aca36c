using System.CommandLine;
using System.Text;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Microsoft.Extensions.Logging;

namespace Inferd.Cli.Commands;

/// <summary><c>inferd validate</c>: loads a repository with the real backend, without a server.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var repository = new Argument<string>("repository") { Description = "Model repository folder to check." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the status line of each model, not its effective configuration." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also log loading progress to stderr." };
        var command = new Command(
            "validate",
            "Load every model of a repository with ONNX Runtime, as 'serve' would, and print each effective configuration or the precise error. Exit code 0 when every model loads, 1 otherwise.")
        {
            repository, quiet, verbose,
        };

        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var root = parseResult.GetValue(repository)!;
            if (!Directory.Exists(root))
            {
                throw new UsageException($"the model repository folder does not exist: {root}");
            }

            var isVerbose = parseResult.GetValue(verbose);
            // Logs go to stderr so stdout stays the report; load failures are in the report, so only warnings
            // (e.g. ignored folders) are logged unless --verbose.
            using var loggers = LoggerFactory.Create(b => b
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter((_, level) => isVerbose ? level >= LogLevel.Information : level == LogLevel.Warning));
            var options = new ModelRepositoryOptions(Path.GetFullPath(root), ModelControlMode.None, [], TimeSpan.FromSeconds(15), true);
            await using var service = new InferenceService(
                options,
                new PipelineBackend(new OnnxRuntimeBackend(loggers.CreateLogger<OnnxRuntimeBackend>())),
                new RequestLimits(),
                TimeProvider.System,
                loggers.CreateLogger<InferenceService>());
            await service.StartAsync(cancellationToken);
            return Report(service, parseResult.GetValue(quiet), root);
        }));
        return command;
    }

    private static int Report(InferenceService service, bool quiet, string root)
    {
        var index = service.GetRepositoryIndex(readyOnly: false);
        if (index.Count == 0)
        {
            Console.Error.WriteLine($"inferd validate: no models found in {root}");
            return Cli.FailureExitCode;
        }

        var failed = 0;
        foreach (var entry in index)
        {
            var label = entry.Version.Length > 0 ? $"{entry.Name} (version {entry.Version})" : entry.Name;
            if (entry.State != ModelState.Ready)
            {
                failed++;
                Console.Out.WriteLine($"{label}: FAILED: {(entry.Reason.Length > 0 ? entry.Reason : entry.StateName)}");
                continue;
            }

            Console.Out.WriteLine($"{label}: OK");
            if (!quiet)
            {
                Console.Out.WriteLine(Indent(ModelConfigJson.Write(service.GetModelConfig(entry.Name, entry.Version))));
            }
        }

        var models = index.Select(e => e.Name).Distinct(StringComparer.Ordinal).Count();
        var failedModels = index.Where(e => e.State != ModelState.Ready).Select(e => e.Name).Distinct(StringComparer.Ordinal).Count();
        Console.Out.WriteLine(failed == 0 ? $"{models} model(s) valid" : $"{failedModels} of {models} model(s) failed to load");
        return failed == 0 ? Cli.SuccessExitCode : Cli.FailureExitCode;
    }

    private static string Indent(string json)
    {
        using var doc = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            doc.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

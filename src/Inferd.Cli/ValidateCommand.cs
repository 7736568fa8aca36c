using System.CommandLine;
using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Backends.OnnxRuntime;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Cli;

/// <summary><c>inferd validate &lt;repo&gt;</c>: loads every model as the server would and prints its effective config or the reason it fails.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var repository = new Argument<string>("repository") { Description = "Model repository folder to check." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the per-model verdicts, not the configs." };
        var command = new Command("validate", "Dry run: load every model of a repository with ONNX Runtime and print each model's resolved config, or a precise error. Exit code 1 when any model fails.")
        {
            repository, quiet,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var root = parse.GetValue(repository)!;
            if (!Directory.Exists(root))
            {
                await Console.Error.WriteLineAsync($"inferd validate: the folder '{root}' does not exist");
                return 2;
            }

            await using var service = new InferenceService(
                new ModelRepositoryOptions(Path.GetFullPath(root), ModelControlMode.None, [], TimeSpan.FromSeconds(15), StrictReadiness: true),
                new OnnxRuntimeBackend(),
                new RequestLimits(),
                TimeProvider.System,
                NullLogger<InferenceService>.Instance);
            await service.StartAsync(cancellationToken);

            var failures = 0;
            foreach (var model in service.GetRepositoryIndex(readyOnly: false).GroupBy(r => r.Name))
            {
                var failed = model.Where(r => r.State != ModelState.Ready).ToArray();
                if (failed.Length > 0)
                {
                    failures++;
                    foreach (var row in failed)
                    {
                        var version = row.Version.Length > 0 ? $" version {row.Version}" : "";
                        Console.WriteLine($"FAIL {model.Key}{version}: {(row.Reason.Length > 0 ? row.Reason : "not loaded")}");
                    }

                    continue;
                }

                Console.WriteLine($"OK   {model.Key} (versions {string.Join(", ", model.Select(r => r.Version))})");
                if (!parse.GetValue(quiet))
                {
                    using var doc = JsonDocument.Parse(ModelConfigJson.Write(service.GetModelConfig(model.Key, null)));
                    Console.WriteLine(JsonSerializer.Serialize(doc.RootElement, Indented));
                }
            }

            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}

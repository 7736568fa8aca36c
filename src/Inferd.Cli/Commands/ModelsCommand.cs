using System.CommandLine;

namespace Inferd.Cli.Commands;

/// <summary><c>inferd models list|load|unload</c>: the model repository extension (protocol.md §7.1).</summary>
internal static class ModelsCommand
{
    public static Command Create() => new("models", "List, load and unload models on a running server (model repository extension).")
    {
        List(),
        Load(),
        Unload(),
    };

    private static Command List()
    {
        var endpoint = new ServerEndpoint();
        var ready = new Option<bool>("--ready") { Description = "Only list ready models." };
        var command = new Command("list", "Print the repository index: name, version, state and reason.") { ready };
        endpoint.AddTo(command);
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            using var client = endpoint.CreateClient(parseResult);
            var index = await client.GetRepositoryIndexAsync(parseResult.GetValue(ready), cancellationToken);
            var rows = index.Select(e => new[] { e.Name, e.Version, e.State, e.Reason }).Prepend(["NAME", "VERSION", "STATE", "REASON"]).ToArray();
            var widths = Enumerable.Range(0, 3).Select(c => rows.Max(r => r[c].Length)).ToArray();
            foreach (var row in rows)
            {
                Console.Out.WriteLine(string.Concat(Enumerable.Range(0, 3).Select(c => row[c].PadRight(widths[c] + 2))) + row[3]);
            }

            return Cli.SuccessExitCode;
        }));
        return command;
    }

    private static Command Load()
    {
        var endpoint = new ServerEndpoint();
        var model = new Argument<string>("model") { Description = "Model name (its folder in the repository)." };
        var config = new Option<string?>("--config")
        {
            Description = "A JSON model configuration file that replaces the one on disk for this load (protocol.md §11.5).",
            HelpName = "FILE",
        };
        var command = new Command("load", "Load or reload a model (needs --model-control-mode explicit on the server).") { model, config };
        endpoint.AddTo(command);
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var name = parseResult.GetValue(model)!;
            string? configJson = null;
            if (parseResult.GetValue(config) is { } path)
            {
                if (!File.Exists(path))
                {
                    throw new UsageException($"--config: no such file: {path}");
                }

                configJson = await File.ReadAllTextAsync(path, cancellationToken);
            }

            using var client = endpoint.CreateClient(parseResult);
            await client.LoadModelAsync(name, configJson, cancellationToken);
            Console.Out.WriteLine($"loaded '{name}'");
            return Cli.SuccessExitCode;
        }));
        return command;
    }

    private static Command Unload()
    {
        var endpoint = new ServerEndpoint();
        var model = new Argument<string>("model") { Description = "Model name." };
        var command = new Command("unload", "Unload a model; in-flight requests finish first (needs --model-control-mode explicit).") { model };
        endpoint.AddTo(command);
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var name = parseResult.GetValue(model)!;
            using var client = endpoint.CreateClient(parseResult);
            await client.UnloadModelAsync(name, cancellationToken);
            Console.Out.WriteLine($"unloaded '{name}'");
            return Cli.SuccessExitCode;
        }));
        return command;
    }
}

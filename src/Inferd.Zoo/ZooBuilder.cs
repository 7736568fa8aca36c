using System.Diagnostics;
using Inferd.Zoo.Training;

namespace Inferd.Zoo;

/// <summary>
/// Builds zoo models into a model repository. Each model builds in a temporary folder under
/// <c>&lt;repository&gt;/.zoo-build</c> (the repository scanner ignores dot folders) and is renamed into place only when
/// complete and loadable, so a failed or interrupted build never leaves half a model where the server looks.
/// </summary>
internal sealed class ZooBuilder
{
    private readonly string _repository;
    private readonly string _cache;
    private readonly TextWriter _log;

    /// <summary>Creates a builder.</summary>
    public ZooBuilder(string repository, string cache, TextWriter log)
    {
        _repository = Path.GetFullPath(repository);
        _cache = Path.GetFullPath(cache);
        _log = log;
    }

    /// <summary>Whether every output file of the model is in the repository.</summary>
    public bool IsBuilt(IZooModel model) => model.Outputs.All(o => File.Exists(Path.Combine(_repository, model.Name, o)));

    /// <summary>
    /// Builds the models whose outputs are missing (every model with <paramref name="force"/>; only
    /// <paramref name="only"/> when given). Prints one line per model. Returns the names that failed.
    /// </summary>
    public async Task<IReadOnlyList<string>> BuildAsync(IReadOnlyList<IZooModel> models, bool force, string? only, CancellationToken cancellationToken)
    {
        if (only is not null && models.All(m => m.Name != only))
        {
            throw new ZooException($"no zoo model named '{only}' (known: {string.Join(", ", models.Select(m => m.Name))})");
        }

        var failed = new List<string>();
        foreach (var model in models.Where(m => only is null || m.Name == only))
        {
            if (!force && IsBuilt(model))
            {
                _log.WriteLine($"{model.Name}: up to date");
                continue;
            }

            var stopwatch = Stopwatch.StartNew();
            try
            {
                var note = await BuildOneAsync(model, cancellationToken).ConfigureAwait(false);
                var metrics = ModelFiles.Summary(ModelFiles.ReadMetrics(Path.Combine(_repository, model.Name, "card.md")));
                _log.WriteLine($"{model.Name}: built in {stopwatch.Elapsed.TotalSeconds:F1} s{(metrics.Length > 0 ? "; " + metrics : "")}{note}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed.Add(model.Name);
                _log.WriteLine($"{model.Name}: FAILED after {stopwatch.Elapsed.TotalSeconds:F1} s: {e.Message}");
            }
        }

        return failed;
    }

    private async Task<string> BuildOneAsync(IZooModel model, CancellationToken cancellationToken)
    {
        var staging = Path.Combine(_repository, ".zoo-build", $"{model.Name}-{Guid.NewGuid():N}");
        try
        {
            await model.BuildAsync(new ZooContext(staging, _cache, _log), cancellationToken).ConfigureAwait(false);
            var built = Path.Combine(staging, model.Name);
            var missing = model.Outputs.Where(o => !File.Exists(Path.Combine(built, o))).ToArray();
            if (missing.Length > 0)
            {
                throw new ZooException($"the build did not write {string.Join(", ", missing)}");
            }

            var note = await SmokeCheckAsync(built, cancellationToken).ConfigureAwait(false);
            var target = Path.Combine(_repository, model.Name);
            if (Directory.Exists(target))
            {
                // Move the old folder aside first: the swap is two renames, never a half-deleted model.
                var old = Path.Combine(staging, "old");
                Directory.Move(target, old);
            }

            Directory.Move(built, target);
            return note;
        }
        finally
        {
            TryDelete(staging);
            TryDelete(Path.Combine(_repository, ".zoo-build"), onlyIfEmpty: true);
        }
    }

    /// <summary>Loads the built model as the server would; skipped (with a note) when it uses step kinds this build lacks.</summary>
    private static async Task<string> SmokeCheckAsync(string directory, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(directory);
        var config = Core.Repository.ModelConfigJson.Read(await File.ReadAllTextAsync(Path.Combine(directory, "config.json"), cancellationToken).ConfigureAwait(false), name).Config;
        var unknown = PipelineRunner.UnknownKinds(config);
        if (unknown.Count > 0)
        {
            return $" (load check skipped: step kinds {string.Join(", ", unknown)} are not in this build)";
        }

        using var loaded = await PipelineRunner.LoadAsync(directory, config, cancellationToken).ConfigureAwait(false);
        return "";
    }

    private static void TryDelete(string directory, bool onlyIfEmpty = false)
    {
        try
        {
            if (Directory.Exists(directory) && (!onlyIfEmpty || !Directory.EnumerateFileSystemEntries(directory).Any()))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Another build running at the same time still uses it; it deletes the folder itself.
        }
    }
}

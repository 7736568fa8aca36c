using System.CommandLine;
using System.Globalization;
using Inferd.Backends.OnnxRuntime;
using Inferd.Batch.Data;
using Inferd.Core.Inference;
using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.Drift;
using Inferd.Processing.Pipelines;

namespace Inferd.Cli.Commands;

/// <summary>
/// <c>inferd profile</c>: builds a model's drift reference (docs/drift.md) from training or baseline data. The rows are
/// run through the model in process, so the profile holds the inputs and the outputs the model gives for them.
/// </summary>
internal static class ProfileCommand
{
    /// <summary>Rows per request when the model's max_batch_size is larger (or the user gives none).</summary>
    private const int DefaultBatchSize = 64;

    public static Command Create()
    {
        var repository = new Option<string>("--model-repository") { Description = "The model repository.", Required = true, HelpName = "DIR" };
        var model = new Option<string>("--model", "-m") { Description = "The model to profile.", Required = true, HelpName = "NAME" };
        var version = ModelVersionOption.Create();
        var data = new Option<string>("--data", "-d")
        {
            Description = "Baseline data: .jsonl (one object of named fields per line), .csv with a header, or .parquet. Fields that are not model inputs (expected, label) are ignored.",
            Required = true,
            HelpName = "FILE",
        };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the profile (default: <repository>/<model>/profile.json, or the model's monitoring.drift.profile).", HelpName = "FILE" };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per request (default: the model's max_batch_size, at most 64).", HelpName = "N" };
        var command = new Command("profile", "Build a model's drift reference profile from baseline data: per-feature quantiles, bins, category frequencies and missing rates of its inputs and outputs.")
        {
            repository, model, version, data, output, batchSize,
        };
        command.SetAction((parseResult, _) => Cli.RunAsync(async cancellationToken =>
        {
            var repo = parseResult.GetValue(repository)!;
            var name = parseResult.GetValue(model)!;
            var dataPath = parseResult.GetValue(data)!;
            if (!Directory.Exists(repo))
            {
                throw new UsageException($"the model repository folder does not exist: {repo}");
            }

            if (!File.Exists(dataPath))
            {
                throw new UsageException($"the data file does not exist: {dataPath}");
            }

            var format = BatchFormats.ByExtension(dataPath) is { } f && f.Name is "csv" or "jsonl" or "parquet"
                ? f
                : throw new UsageException($"--data must be a .jsonl, .csv or .parquet file: {dataPath}");

            await using var service = await SingleModelService.StartAsync(repo, name, new PipelineBackend(new OnnxRuntimeBackend()), cancellationToken);
            var wanted = parseResult.GetValue(version);
            var config = service.GetModelConfig(name, wanted);
            DriftSettings settings;
            try
            {
                settings = MonitoringConfigParser.Get(config.Monitoring).Drift;
            }
            catch (MonitoringConfigException e)
            {
                throw new UsageException($"model '{name}': {e.Message}");
            }

            var batched = config.MaxBatchSize > 0;
            var size = parseResult.GetValue(batchSize);
            size = !batched ? 1 : size > 0 ? Math.Min(size, config.MaxBatchSize) : Math.Min(config.MaxBatchSize, DefaultBatchSize);
            using var reader = format.OpenReader(dataPath);
            var inputs = MapInputs(service, name, wanted, reader.Columns, dataPath, batched);
            var runner = new ProfileRunner(service, name, wanted, batched, size);
            await runner.RunAsync(reader, inputs, cancellationToken);
            if (runner.Rows == 0)
            {
                Console.Error.WriteLine($"inferd profile: no row of {dataPath} could be profiled ({runner.SkippedRows} skipped)");
                PrintErrors(runner);
                return Cli.FailureExitCode;
            }

            var profile = runner.Build(TimeProvider.System.GetUtcNow());
            var path = Path.GetFullPath(parseResult.GetValue(output) ?? Path.Combine(repo, name, settings.Profile));
            WriteAtomically(path, ReferenceProfileJson.Write(profile));
            Print(profile, runner, dataPath, reader.Columns.Except(inputs.Select(i => i.Signature.Name)).ToArray(), path);
            return Cli.SuccessExitCode;
        }));
        return command;
    }

    private static ProfileInput[] MapInputs(InferenceService service, string model, string? version, IReadOnlyList<string> columns, string dataPath, bool batched)
    {
        var optional = service.GetModelConfig(model, version).Inputs.Where(i => i.Optional).Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = new List<ProfileInput>();
        var missing = new List<string>();
        var names = columns.ToList();
        foreach (var signature in service.GetModelMetadata(model, version).Inputs)
        {
            var column = names.IndexOf(signature.Name);
            if (column >= 0)
            {
                inputs.Add(new ProfileInput(signature, column, batched && signature.Shape.Length > 0 ? signature.Shape[1..] : signature.Shape));
            }
            else if (!optional.Contains(signature.Name))
            {
                missing.Add(signature.Name);
            }
        }

        return missing.Count == 0
            ? [.. inputs]
            : throw new UsageException($"{dataPath} has no column for the model input(s) {string.Join(", ", missing)} (its columns: {string.Join(", ", columns)})");
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        // A server rereads the profile when it changes; it must never see half a file.
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    private static void Print(ReferenceProfile profile, ProfileRunner runner, string dataPath, string[] ignored, string path)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Create(inv, $"profiled {profile.Rows:N0} rows of {dataPath} through {profile.Model} version {profile.Version} ({runner.SkippedRows:N0} rows skipped)"));
        PrintErrors(runner);
        if (ignored.Length > 0)
        {
            Console.Out.WriteLine("ignored columns (not model inputs): " + string.Join(", ", ignored));
        }

        var rows = new List<string[]> { new[] { "FEATURE", "ROLE", "KIND", "MISSING", "SUMMARY" } };
        rows.AddRange(profile.Inputs.Select(f => Row(f, "input")));
        rows.AddRange(profile.Outputs.Select(f => Row(f, "prediction")));
        Console.Out.Write(DriftTable.Format(rows));
        foreach (var skipped in profile.Skipped)
        {
            Console.Out.WriteLine($"not monitored: {skipped.Name} ({skipped.Reason})");
        }

        Console.Out.WriteLine("wrote " + path);
    }

    private static void PrintErrors(ProfileRunner runner)
    {
        foreach (var error in runner.Errors)
        {
            Console.Error.WriteLine("  skipped " + error);
        }
    }

    private static string[] Row(FeatureProfile f, string role)
    {
        var inv = CultureInfo.InvariantCulture;
        var summary = f.Numeric is { } n
            ? string.Create(inv, $"mean {n.Mean:G4}, std {n.Std:G4}, range [{n.Min:G4}, {n.Max:G4}]")
            : string.Join(", ", f.Categorical!.Categories.Zip(f.Categorical.Counts).Take(5).Select(p => string.Create(inv, $"{p.First} {100.0 * p.Second / f.Count:0.#}%")))
                + (f.Categorical.Categories.Length > 5 ? string.Create(inv, $", ... ({f.Categorical.Categories.Length} categories)") : "");
        return [f.Name, role, f.Kind == FeatureKind.Numeric ? "numeric" : "categorical", string.Create(inv, $"{100 * f.MissingRate:0.#}%"), summary];
    }
}

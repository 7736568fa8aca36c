using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Data;

namespace Inferd.Bench.Batch;

/// <summary>
/// The <c>batch</c> verb: a batch job's rows/s over CSV and Parquet against raw ONNX Runtime on the same model file,
/// batch size and thread layout, measured in one process. Raw windows and jobs alternate (raw, csv, parquet, …, raw)
/// so drift on a shared machine moves both sides of the ratio; the table holds medians.
/// </summary>
internal sealed class BatchBenchRunner(BatchBenchOptions options, TextWriter output, TextWriter progress)
{
    private static readonly TimeSpan RawWarmup = TimeSpan.FromSeconds(0.5);

    /// <summary>Where the last job over <paramref name="format"/> wrote its output.</summary>
    public static string OutputFolder(string work, string format) => Path.Combine(work, "out-" + format);

    /// <summary>Runs the rounds (and the profile), prints the table and writes the JSON.</summary>
    /// <exception cref="ArgumentException">The model is not one the bench can generate input for.</exception>
    public async Task<BatchBenchReport> RunAsync(CancellationToken cancellationToken)
    {
        if (options.Rows < 1 || options.Rounds < 1 || options.RawSeconds <= 0)
        {
            throw new ArgumentException("--rows and --rounds must be at least 1 and --raw-seconds above 0");
        }

        var temporary = options.WorkFolder is null;
        var work = options.WorkFolder is { } folder ? Directory.CreateDirectory(folder).FullName : Directory.CreateTempSubdirectory("inferd-batch-bench-").FullName;
        try
        {
            return await RunInAsync(work, cancellationToken);
        }
        finally
        {
            if (temporary)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private async Task<BatchBenchReport> RunInAsync(string work, CancellationToken cancellationToken)
    {
        var repository = options.Repository ?? WriteRepository(Path.Combine(work, "models"), options.Model, options.Instances, options.IntraOpThreads);
        await progress.WriteLineAsync($"batch: loading {options.Model} from {repository}");
        await using var host = await BatchJobHost.StartAsync(repository, options.Model, cancellationToken);
        var model = host.Scorer.Model;
        var input = InputOf(model);
        var batchSize = model.PreferredBatchSize;
        var layout = ThreadLayout.FromConfig(host.Config);
        if (!host.SessionLayout.Contains(layout.Describe(), StringComparison.Ordinal))
        {
            await progress.WriteLineAsync($"batch: warning: the server reported '{host.SessionLayout}', the raw run uses '{layout.Describe()}'");
        }

        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new List<string>();
        var generate = Stopwatch.StartNew();
        foreach (var format in new[] { "csv", "parquet" })
        {
            if (BatchFormats.ByName(format) is null)
            {
                // The Parquet format is on its own branch until it merges; the verb measures it as soon as it is there.
                skipped.Add($"{format}: this build of Inferd.Batch has no {format} format");
                await progress.WriteLineAsync($"batch: skipping {format}: this build of Inferd.Batch has no {format} format");
                continue;
            }

            inputs[format] = await WriteInputAsync(input, Path.Combine(work, "input." + format), options.Rows, cancellationToken);
        }

        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"batch: wrote {options.Rows:N0} rows as {string.Join(", ", inputs.Keys)} in {generate.Elapsed.TotalSeconds:F1} s ({string.Join(", ", inputs.Values.Select(p => $"{new FileInfo(p).Length / 1e6:F0} MB"))})"));

        using var raw = RawOrtMeasure.Create(host.ModelFile, layout, batchSize, input.Values(batchSize));
        // One untimed job per format first: a warm-up over 5,000 rows still left the first timed job of 200,000 rows
        // about 30% slower than the later ones (3.65 s against 2.75–2.87 s in a six-round run).
        foreach (var (format, path) in inputs)
        {
            var warmup = await host.RunAsync(format, path, OutputFolder(work, format), null, cancellationToken);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"batch: warm-up {format}: {warmup.Seconds:F3} s (not counted)"));
        }

        var rawSamples = new List<RawSample>();
        var jobs = new List<JobSample>();
        var window = TimeSpan.FromSeconds(options.RawSeconds);
        for (var round = 1; round <= options.Rounds; round++)
        {
            rawSamples.Add(await MeasureRawAsync(raw, window, round));
            foreach (var (format, path) in inputs)
            {
                var sample = await host.RunAsync(format, path, OutputFolder(work, format), null, cancellationToken);
                jobs.Add(sample);
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"batch: round {round} {format}: {sample.Seconds:F3} s, {sample.RowsPerSecond:N0} rows/s, {sample.AverageBatch:F1} rows per execution, model {sample.InferSeconds:F3} s, {sample.CoresBusy:F2} cores busy"));
            }
        }

        rawSamples.Add(await MeasureRawAsync(raw, window, options.Rounds + 1));
        var profile = options.Profile && inputs.Count > 0
            ? await new BatchStageProfile(host, input, batchSize, work).RunAsync(inputs, options.Rows, cancellationToken)
            : [];
        var report = new BatchBenchReport
        {
            Machine = $"{Environment.ProcessorCount} cores; {RuntimeInformation.OSDescription}; .NET {Environment.Version}",
            Model = options.Model,
            BatchSize = batchSize,
            Rows = options.Rows,
            Rounds = options.Rounds,
            ServerSession = host.SessionLayout,
            RawSession = layout.Describe(),
            Lines = BatchBenchReport.Medians(batchSize, rawSamples, jobs),
            Raw = rawSamples,
            Jobs = jobs,
            Skipped = skipped,
            Profile = profile,
        };
        report.Write(output);
        if (options.JsonPath is { } json)
        {
            var full = Path.GetFullPath(json);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, report.ToJson(), cancellationToken);
            await progress.WriteLineAsync("batch: wrote " + full);
        }

        return report;
    }

    private async Task<RawSample> MeasureRawAsync(RawOrtMeasure raw, TimeSpan window, int round)
    {
        var sample = raw.Measure(RawWarmup, window);
        await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"batch: round {round} raw: {sample.RowsPerSecond:N0} rows/s over {sample.Seconds:F2} s, {sample.CoresBusy:F2} cores busy"));
        return sample;
    }

    /// <summary>
    /// Writes a benchmark model (<c>mlp</c> or <c>mlp-batched</c>, …) with the given sessions and threads (default: one
    /// instance with the server's default threads).
    /// A batched variant states its preferred batch size (max_batch_size), the size every job request then has.
    /// </summary>
    private static string WriteRepository(string root, string name, int instances, int intraOpThreads)
    {
        var model = BenchModels.Find(name);
        var batched = name.EndsWith(BenchModels.BatchedSuffix, StringComparison.Ordinal);
        var folder = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(folder, "1"));
        File.WriteAllBytes(Path.Combine(folder, "1", "model.onnx"), model.Build());
        File.WriteAllText(Path.Combine(folder, "config.pbtxt"), BenchModels.Config(model, name, batched, instances, intraOpThreads, preferredBatchSize: batched ? model.MaxBatchSize : 0));
        return root;
    }

    private static BatchBenchInput InputOf(Inferd.Batch.Scoring.ScoringModel model)
    {
        if (model.MaxBatchSize <= 0 || model.Inputs.Count != 1 || model.Inputs[0].DataType != DataType.Fp32 || model.Inputs[0].Shape.Length != 2 || model.Inputs[0].Shape[1] < 1
            || model.Outputs.Any(o => o.DataType != DataType.Fp32))
        {
            throw new ArgumentException($"model '{model.Name}' is not one the batch bench can feed: it needs batching, one FP32 input [N, F] and FP32 outputs");
        }

        return new BatchBenchInput(model.Inputs[0].Name, (int)model.Inputs[0].Shape[1]);
    }

    private static async Task<string> WriteInputAsync(BatchBenchInput input, string path, int rows, CancellationToken cancellationToken)
    {
        if (path.EndsWith(".csv", StringComparison.Ordinal))
        {
            input.WriteCsv(path, rows);
        }
        else
        {
            await input.WriteParquetAsync(path, rows, cancellationToken);
        }

        return path;
    }
}

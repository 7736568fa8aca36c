using System.Globalization;
using Inferd.Batch.Scoring;

namespace Inferd.Batch.Jobs;

/// <summary>
/// Runs a batch job with exactly-once output. The input is cut into shards of <see cref="BatchJobSpec.ShardRows"/>
/// rows in a fixed order; each shard's output goes to a temporary file that is flushed to disk and renamed into place,
/// and only then recorded in the manifest. A run killed at any moment and started again skips the committed shards
/// (after checking their length and SHA-256), deletes its leftover temporary files and redoes the rest, so every input
/// row ends up in the output exactly once and the bytes equal those of an uninterrupted run.
/// </summary>
public static class BatchJobRunner
{
    /// <summary>Runs or resumes a job.</summary>
    /// <param name="spec">The job.</param>
    /// <param name="scorer">Where requests go.</param>
    /// <param name="progress">Receives a snapshot after every request written and every shard committed.</param>
    /// <param name="cancellationToken">Stops the job; committed shards stay and a later run resumes.</param>
    /// <returns>What this run did.</returns>
    /// <exception cref="BatchJobException">A bad spec or mapping, an output of another job, too many bad rows.</exception>
    /// <exception cref="BatchScoringException">The model kept failing.</exception>
    public static async Task<BatchJobSummary> RunAsync(BatchJobSpec spec, IBatchScorer scorer, IProgress<BatchProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(scorer);
        Validate(spec);
        var inputs = InputFile.Resolve(spec);
        var layout = OutputLayout.Create(spec, inputs);
        Directory.CreateDirectory(layout.PartsFolder);
        using var manifest = ShardManifest.Open(layout.ManifestPath, spec.Fingerprint);
        var run = new JobRun(spec, scorer, layout, manifest, inputs, progress);
        if (layout.SingleFile && manifest.Completed)
        {
            if (!File.Exists(layout.Output))
            {
                throw new BatchJobException($"this job completed earlier but '{layout.Output}' is gone; delete '{layout.PartsFolder}' to run it again");
            }

            return run.Summary(ErrorsPathIfAny(layout, manifest));
        }

        DeleteOwnTemporaries(layout, spec);
        await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        if (layout.SingleFile)
        {
            await MergeAsync(layout, manifest, run, cancellationToken).ConfigureAwait(false);
        }
        else if (!manifest.Completed)
        {
            manifest.AppendCompleted();
        }

        return run.Summary(ErrorsPathIfAny(layout, manifest));
    }

    private static void Validate(BatchJobSpec spec)
    {
        if (spec.ShardRows < 1)
        {
            throw new BatchJobException("--shard-rows must be at least 1");
        }

        if (spec.ShardCount < 1 || spec.ShardIndex < 0 || spec.ShardIndex >= spec.ShardCount)
        {
            throw new BatchJobException($"--shard-index must be from 0 to --shard-count - 1 (got {spec.ShardIndex} of {spec.ShardCount})");
        }

        if (spec.BatchSize < 0 || spec.Concurrency < 0 || spec.MaxErrors < 0)
        {
            throw new BatchJobException("--batch-size, --concurrency and --max-errors cannot be negative");
        }
    }

    /// <summary>Temporary files of shards this worker owns are leftovers of a killed run; other workers' are not ours to touch.</summary>
    private static void DeleteOwnTemporaries(OutputLayout layout, BatchJobSpec spec)
    {
        foreach (var path in Directory.EnumerateFiles(layout.PartsFolder, ".*.tmp"))
        {
            var name = Path.GetFileName(path);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            var dot = dash < 0 ? -1 : name.IndexOf('.', dash);
            if (dash > 0 && dot > dash && long.TryParse(name.AsSpan(dash + 1, dot - dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var shard)
                && shard % spec.ShardCount == spec.ShardIndex)
            {
                File.Delete(path);
            }
        }
    }

    private static async Task MergeAsync(OutputLayout layout, ShardManifest manifest, JobRun run, CancellationToken cancellationToken)
    {
        var records = manifest.Shards.Values.OrderBy(r => r.Shard).ToArray();
        var temp = Path.Combine(Path.GetDirectoryName(layout.Output)!, "." + Path.GetFileName(layout.Output) + ".tmp");
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            if (records.Length == 0)
            {
                using var writer = layout.Format.CreateWriter(file, run.Columns); // No rows: a file with just the header.
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await layout.Format.MergeAsync(records.Select(r => layout.PathOf(r.Part)).ToArray(), file, cancellationToken).ConfigureAwait(false);
            }

            file.Flush(flushToDisk: true);
        }

        DurableFile.Commit(temp, layout.Output);
        var errorParts = records.Where(r => r.ErrorPart is not null).Select(r => layout.PathOf(r.ErrorPart!)).ToArray();
        if (errorParts.Length > 0)
        {
            var errorTemp = layout.ErrorsFile + ".tmp";
            await using (var file = new FileStream(errorTemp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                foreach (var part in errorParts)
                {
                    await using var source = File.OpenRead(part);
                    await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }

                file.Flush(flushToDisk: true);
            }

            DurableFile.Commit(errorTemp, layout.ErrorsFile!);
        }
        else if (File.Exists(layout.ErrorsFile))
        {
            File.Delete(layout.ErrorsFile);
        }

        manifest.AppendCompleted();

        // The merged files are durable and the manifest says so: the parts are no longer needed.
        foreach (var record in records)
        {
            File.Delete(layout.PathOf(record.Part));
            if (record.ErrorPart is not null)
            {
                File.Delete(layout.PathOf(record.ErrorPart));
            }
        }
    }

    private static string? ErrorsPathIfAny(OutputLayout layout, ShardManifest manifest) =>
        !manifest.Shards.Values.Any(r => r.Errors > 0) ? null : layout.SingleFile ? layout.ErrorsFile : layout.PartsFolder;
}

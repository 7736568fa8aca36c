using System.Diagnostics;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Backends.OnnxRuntime;
using Inferd.Batch.Jobs;
using Inferd.Batch.Scoring;
using Inferd.Core.Inference;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Bench.Batch;

/// <summary>
/// The in-process facade (<see cref="InferenceService"/> over the ONNX Runtime backend, as <c>inferd serve</c> builds
/// it) with one model loaded, and batch jobs run against it through <see cref="InProcessScorer"/>.
/// </summary>
internal sealed class BatchJobHost : IAsyncDisposable
{
    private readonly SessionLayoutLog _layoutLog;

    private BatchJobHost(InferenceService service, InProcessScorer scorer, ModelConfig config, string modelFile, SessionLayoutLog layoutLog)
    {
        Service = service;
        Scorer = scorer;
        Config = config;
        ModelFile = modelFile;
        _layoutLog = layoutLog;
    }

    /// <summary>The facade.</summary>
    public InferenceService Service { get; }

    /// <summary>The scorer jobs use.</summary>
    public InProcessScorer Scorer { get; }

    /// <summary>The loaded model's config.</summary>
    public ModelConfig Config { get; }

    /// <summary>The model file the server loaded.</summary>
    public string ModelFile { get; }

    /// <summary>The session layout the backend reported when it loaded the model.</summary>
    public string SessionLayout => _layoutLog.Layout ?? "(not reported)";

    /// <summary>Loads <paramref name="model"/> from <paramref name="repository"/> and opens a scorer over it.</summary>
    /// <exception cref="IOException">The model did not load.</exception>
    public static async Task<BatchJobHost> StartAsync(string repository, string model, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(repository);
        var layoutLog = new SessionLayoutLog();
        InferenceService service;
        try
        {
            service = await SingleModelService.StartAsync(root, model, new OnnxRuntimeBackend(layoutLog), cancellationToken);
        }
        catch (InferenceException e)
        {
            throw new IOException(e.Message, e);
        }

        try
        {
            var scorer = InProcessScorer.Create(service, model, null);
            var config = service.GetModelConfig(model, null);
            var file = Path.Combine(root, model, scorer.Model.Version, config.DefaultModelFilename);
            return new BatchJobHost(service, scorer, config, file, layoutLog);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs one job over <paramref name="input"/> into the fresh folder <paramref name="output"/> and times it. The job
    /// must score every row: a run that drops or fails rows measures something else, so it throws.
    /// </summary>
    /// <param name="format">Input format name (also the output's).</param>
    /// <param name="input">Input file.</param>
    /// <param name="output">Output folder; deleted first when it exists.</param>
    /// <param name="scorer">The scorer; null for the facade's.</param>
    /// <param name="cancellationToken">Stops the job.</param>
    /// <exception cref="InvalidOperationException">The job did not write every row.</exception>
    public async Task<JobSample> RunAsync(string format, string input, string output, IBatchScorer? scorer, CancellationToken cancellationToken)
    {
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        var spec = new BatchJobSpec
        {
            Model = Scorer.Model.Name,
            Inputs = [input],
            Output = output,
            InputFormat = format,
            IdColumn = BatchBenchInput.IdColumn,
        };
        var before = Statistics();
        var cpu = ProcessCpu.Seconds();
        var start = Stopwatch.GetTimestamp();
        var summary = await BatchJobRunner.RunAsync(spec, scorer ?? Scorer, null, cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        cpu = ProcessCpu.Seconds() - cpu;
        var after = Statistics();
        if (summary.Errors > 0 || summary.RowsOut != summary.RowsIn)
        {
            throw new InvalidOperationException($"the {format} job read {summary.RowsIn} rows but wrote {summary.RowsOut} ({summary.Errors} failed; see {summary.ErrorsPath})");
        }

        var executions = after.Executions - before.Executions;
        var averageBatch = executions > 0 ? (double)(after.Inferences - before.Inferences) / executions : 0;
        return new JobSample(format, summary.RowsIn, summary.RowsOut, seconds, averageBatch, (after.InferNs - before.InferNs) / 1e9, cpu);
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();

    private (ulong Inferences, ulong Executions, ulong InferNs) Statistics()
    {
        ulong inferences = 0, executions = 0, inferNs = 0;
        foreach (var s in Service.GetStatistics(Scorer.Model.Name, null))
        {
            inferences += s.InferenceCount;
            executions += s.ExecutionCount;
            // Per execution, not per request: a request merged with another would otherwise count the run twice.
            foreach (var b in s.BatchStats)
            {
                inferNs += b.ComputeInfer.Ns;
            }
        }

        return (inferences, executions, inferNs);
    }
}

using System.Diagnostics;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;
using Inferd.Explain.Background;
using Inferd.Explain.Configuration;
using Inferd.Explain.Evaluation;

namespace Inferd.Explain;

/// <summary>
/// Explains single predictions through the inference facade. Explanations have their own queue (at most
/// <see cref="ExplainOptions.MaxConcurrent"/> at once, <see cref="ExplainOptions.MaxQueued"/> waiting) and every model
/// call they make is a background request, below every priority level, so they never starve predictions; each has a
/// budget of model evaluations, and a plan over it is refused before any work.
/// </summary>
internal sealed class ExplanationService : IDisposable
{
    private readonly IInferenceService _facade;
    private readonly ExplainOptions _options;
    private readonly IReadOnlyList<IExplainer> _explainers;
    private readonly IBackgroundLogSource? _log;
    private readonly SemaphoreSlim _gate;
    private int _admitted;

    /// <param name="facade">The one inference facade.</param>
    /// <param name="options">Server-wide limits.</param>
    /// <param name="explainers">The methods.</param>
    /// <param name="log">Logged traffic for <c>prediction_log</c> backgrounds, or null when the log is off.</param>
    public ExplanationService(IInferenceService facade, ExplainOptions options, IEnumerable<IExplainer> explainers, IBackgroundLogSource? log = null)
    {
        _facade = facade;
        _options = options;
        _explainers = [.. explainers];
        _log = log;
        _gate = new SemaphoreSlim(options.MaxConcurrent);
    }

    /// <summary>Every method name the service answers to.</summary>
    public IEnumerable<string> Methods => _explainers.SelectMany(e => e.Methods);

    /// <summary>Explanations running or waiting now.</summary>
    public int Pending => Volatile.Read(ref _admitted);

    /// <summary>Explains one row.</summary>
    /// <exception cref="InferenceException">InvalidInput for a bad request or a plan over budget; Overloaded when the queue is full.</exception>
    public async Task<Explanation> ExplainAsync(ExplanationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method is not null && !Methods.Contains(request.Method))
        {
            throw InferenceException.Invalid($"unknown explanation method '{request.Method}'; expected one of {string.Join(", ", Methods)}");
        }

        if (Interlocked.Increment(ref _admitted) > _options.MaxConcurrent + _options.MaxQueued)
        {
            Interlocked.Decrement(ref _admitted);
            throw new InferenceException(InferenceErrorKind.Overloaded, $"the explanation queue is full ({_options.MaxConcurrent} running, {_options.MaxQueued} waiting; --explain-concurrency, --explain-queue); retry later");
        }

        try
        {
            var queued = Stopwatch.GetTimestamp();
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var result = await RunAsync(request, cancellationToken).ConfigureAwait(false);
                return result with
                {
                    DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    QueuedMs = (started - queued) * 1000.0 / Stopwatch.Frequency,
                };
            }
            finally
            {
                _gate.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private async Task<Explanation> RunAsync(ExplanationRequest request, CancellationToken cancellationToken)
    {
        var row = request.Row;
        var config = _facade.GetModelConfig(row.ModelName, row.ModelVersion);
        var explain = ExplainConfigParser.Get(config.Explain);
        var output = PickOutput(config, request.Output);

        // The row itself runs first: the facade validates it (names, types, shapes, sizes) exactly as for inference.
        var first = await _facade.InferAsync(row with { Outputs = [new RequestedOutput(output.Name, new Dictionary<string, ParameterValue>())], Background = true }, cancellationToken).ConfigureAwait(false);
        if (first.ModelVersion != row.ModelVersion)
        {
            config = _facade.GetModelConfig(row.ModelName, first.ModelVersion);
            explain = ExplainConfigParser.Get(config.Explain);
        }

        var (x, rowShapes) = ReadRow(config, row);
        var target = PickTarget(first.Outputs.Single(o => o.Name == output.Name), request.Target);
        var budget = Math.Min(Math.Min(request.Budget ?? long.MaxValue, explain.Budget ?? long.MaxValue), _options.MaxEvaluations);
        if (budget < 1)
        {
            throw InferenceException.Invalid("parameter 'budget' must be a positive number of model evaluations");
        }

        var evaluator = new ModelEvaluator(_facade, row.ModelName, first.ModelVersion, config, rowShapes, target, budget);
        var prediction = CellCodec.Read(first.Outputs[0].DataType, first.Outputs[0].Data.Span, target.Index);
        var versionDirectory = _options.RepositoryRoot is null ? null : Path.Combine(_options.RepositoryRoot, row.ModelName, first.ModelVersion);
        var context = new ExplanationContext(request, config, explain, x, rowShapes, evaluator, prediction, first.ModelVersion, versionDirectory,
            (rows, ct) => LoadBackgroundAsync(row.ModelName, config, explain, rowShapes, rows, ct));

        var method = request.Method ?? explain.Method ?? DefaultMethod(context);
        var explainer = _explainers.FirstOrDefault(e => e.Methods.Contains(method))
            ?? throw InferenceException.Invalid($"explanation method '{method}' is not available on this server");
        var result = await explainer.ExplainAsync(context, method, cancellationToken).ConfigureAwait(false);
        return result with { Evaluations = evaluator.Evaluations + 1, Calls = evaluator.Calls + 1 };
    }

    /// <summary>
    /// tree_shap for a tree ensemble it can read (exact, no model calls), kernel_shap for other tabular models, LIME for
    /// the rest (text and images), which it routes by the model's inputs.
    /// </summary>
    private string DefaultMethod(ExplanationContext context)
    {
        if (_explainers.FirstOrDefault(e => e.Methods[0] == "tree_shap")?.Supports(context) == true)
        {
            return "tree_shap";
        }

        // A lone BYTES input is a text or a picture, not a one-feature table.
        if (context.Config.Inputs is [{ DataType: DataType.Bytes }])
        {
            return "lime";
        }

        try
        {
            _ = context.Layout;
            return "kernel_shap";
        }
        catch (InferenceException)
        {
            return "lime";
        }
    }

    private static TensorConfig PickOutput(ModelConfig config, string? name)
    {
        if (name is not null)
        {
            var named = config.Outputs.FirstOrDefault(o => o.Name == name)
                ?? throw InferenceException.Invalid($"model '{config.Name}' has no output '{name}'; its outputs are {string.Join(", ", config.Outputs.Select(o => o.Name))}");
            return named.DataType == DataType.Bytes
                ? throw InferenceException.Invalid($"output '{name}' is {named.DataType.ToWireName()}: only a numeric output can be explained")
                : named;
        }

        return config.Outputs.FirstOrDefault(o => o.DataType != DataType.Bytes)
            ?? throw InferenceException.Invalid($"model '{config.Name}' has no numeric output to explain");
    }

    private static OutputTarget PickTarget(InferenceTensor output, int? requested)
    {
        var count = (int)output.ElementCount;
        if (requested is { } t)
        {
            return t >= 0 && t < count
                ? new OutputTarget(output.Name, t, count)
                : throw InferenceException.Invalid($"parameter 'target' must be from 0 to {count - 1}: output '{output.Name}' has {count} elements per row");
        }

        var best = 0;
        for (var i = 1; i < count; i++)
        {
            if (CellCodec.Read(output.DataType, output.Data.Span, i) > CellCodec.Read(output.DataType, output.Data.Span, best))
            {
                best = i;
            }
        }

        return new OutputTarget(output.Name, best, count);
    }

    private static (InputRow Row, long[][] RowShapes) ReadRow(ModelConfig config, InferenceRequest request)
    {
        var batched = config.MaxBatchSize > 0;
        var cells = new byte[config.Inputs.Count][];
        var shapes = new long[config.Inputs.Count][];
        for (var i = 0; i < cells.Length; i++)
        {
            var name = config.Inputs[i].Name;
            var tensor = request.Inputs.FirstOrDefault(t => t.Name == name)
                ?? throw InferenceException.Invalid($"an explanation needs every input of the model; '{name}' is missing");
            if (batched && tensor.Shape[0] != 1)
            {
                throw InferenceException.Invalid($"an explanation takes one row; input '{name}' has a batch of {tensor.Shape[0]}");
            }

            cells[i] = tensor.Data.ToArray();
            shapes[i] = batched ? tensor.Shape[1..] : tensor.Shape;
        }

        return (new InputRow(cells), shapes);
    }

    private async Task<BackgroundSet> LoadBackgroundAsync(string model, ModelConfig config, ExplainConfig explain, long[][] rowShapes, int? rows, CancellationToken cancellationToken)
    {
        var b = explain.Background
            ?? throw InferenceException.Invalid($"model '{model}' has no background data set: add \"explain\": {{\"background\": {{\"file\": \"background.jsonl\"}}}} (or \"prediction_log\": true) to its config (docs/explain.md)");
        if (rows is < 1)
        {
            throw InferenceException.Invalid("parameter 'background_rows' must be at least 1");
        }

        var take = Math.Min(rows ?? b.Rows, b.Rows);
        if (b.PredictionLog)
        {
            if (_log is null)
            {
                throw InferenceException.Invalid($"model '{model}' takes its background from the prediction log, which is off: start the server with --prediction-log");
            }

            var logged = await _log.SampleAsync(model, config.MaxBatchSize > 0, take, cancellationToken).ConfigureAwait(false);
            return BackgroundReader.Read(logged, "the prediction log", config, rowShapes, take, b.Seed);
        }

        var directory = _options.RepositoryRoot is null ? null : Path.GetFullPath(Path.Combine(_options.RepositoryRoot, model));
        var path = directory is null ? null : Path.GetFullPath(Path.Combine(directory, b.File!));
        if (path is null || !path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw InferenceException.Invalid($"explain.background.file of model '{model}' must name a file inside the model's directory");
        }

        if (!File.Exists(path))
        {
            throw InferenceException.Invalid($"the background file '{b.File}' of model '{model}' does not exist");
        }

        var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        return BackgroundReader.Read(lines, "file " + b.File, config, rowShapes, take, b.Seed);
    }
}

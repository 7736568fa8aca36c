using System.Globalization;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Inference;

namespace Inferd.Explain.Evaluation;

/// <summary>
/// Runs perturbed rows through the inference facade in batches and reads back the explained number of each. Every
/// request is a background request (below every priority level, not logged, not observed), pinned to the version
/// that answered the original row. Counts model evaluations (rows) and calls against the explanation's budget.
/// </summary>
internal sealed class ModelEvaluator
{
    private static readonly Dictionary<string, ParameterValue> NoParameters = [];
    private readonly IInferenceService _facade;
    private readonly string _model;
    private readonly string _version;
    private readonly ModelConfig _config;
    private readonly long[][] _rowShapes;
    private readonly RequestedOutput[] _outputs;
    private long _evaluations;
    private int _calls;

    /// <param name="facade">The one inference facade.</param>
    /// <param name="model">Model name.</param>
    /// <param name="version">The version that answered the explained row.</param>
    /// <param name="config">That version's effective config.</param>
    /// <param name="rowShapes">Per config input, the shape of one row (the request's shape without the batch dimension).</param>
    /// <param name="target">The explained number.</param>
    /// <param name="budget">The most model evaluations (rows) this explanation may use.</param>
    public ModelEvaluator(IInferenceService facade, string model, string version, ModelConfig config, long[][] rowShapes, OutputTarget target, long budget)
    {
        _facade = facade;
        _model = model;
        _version = version;
        _config = config;
        _rowShapes = rowShapes;
        Target = target;
        Budget = budget;
        _outputs = [new RequestedOutput(target.Output, NoParameters)];
    }

    /// <summary>The explained number.</summary>
    public OutputTarget Target { get; }

    /// <summary>The most model evaluations (rows) this explanation may use.</summary>
    public long Budget { get; }

    /// <summary>Rows evaluated so far.</summary>
    public long Evaluations => Interlocked.Read(ref _evaluations);

    /// <summary>Facade calls made so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Rows per facade call: max_batch_size, or 1 for a model that does not batch.</summary>
    public int RowsPerCall => Math.Max(1, _config.MaxBatchSize);

    /// <summary>
    /// Refuses, before any work, a plan that would need more evaluations than are left in the budget. The message names
    /// the plan, the count and the budget, so the caller can lower the work or raise the budget.
    /// </summary>
    /// <param name="evaluations">Rows the plan needs.</param>
    /// <param name="plan">What needs them, e.g. "exact kernel_shap over 14 features and 100 background rows".</param>
    public void Reserve(long evaluations, string plan)
    {
        var left = Budget - Evaluations;
        if (evaluations > left)
        {
            throw InferenceException.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"{plan} needs {evaluations:N0} model evaluations, over the budget of {Budget:N0} per explanation (parameter 'budget', capped by --explain-budget); lower the work (fewer background rows or samples, sampled mode) or raise the budget"));
        }
    }

    /// <summary>Evaluates rows; returns the explained number of each, in order.</summary>
    public async Task<double[]> EvaluateAsync(IReadOnlyList<InputRow> rows, CancellationToken cancellationToken)
    {
        Reserve(rows.Count, $"this explanation ({Evaluations:N0} evaluations so far)");
        var results = new double[rows.Count];
        var per = RowsPerCall;
        // A few calls in flight so a model with several instances stays busy; they queue below every prediction anyway.
        var inFlight = Math.Clamp(_config.InstanceGroups.Sum(g => Math.Max(1, g.Count)), 1, 4);
        using var gate = new SemaphoreSlim(inFlight);
        var tasks = new List<Task>();
        for (var start = 0; start < rows.Count; start += per)
        {
            var first = start;
            var count = Math.Min(per, rows.Count - start);
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            tasks.Add(RunAsync(rows, first, count, results, gate, cancellationToken));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return results;
    }

    private async Task RunAsync(IReadOnlyList<InputRow> rows, int first, int count, double[] results, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            var request = Build(rows, first, count);
            Interlocked.Add(ref _evaluations, count);
            Interlocked.Increment(ref _calls);
            var response = await _facade.InferAsync(request, cancellationToken).ConfigureAwait(false);
            Read(response, count, results.AsSpan(first, count));
        }
        finally
        {
            gate.Release();
        }
    }

    private InferenceRequest Build(IReadOnlyList<InputRow> rows, int first, int count)
    {
        var batched = _config.MaxBatchSize > 0;
        var inputs = new InferenceTensor[_config.Inputs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var size = 0;
            for (var r = 0; r < count; r++)
            {
                size += rows[first + r].Cells[i].Length;
            }

            var data = new byte[size];
            var at = 0;
            for (var r = 0; r < count; r++)
            {
                var cell = rows[first + r].Cells[i];
                cell.CopyTo(data, at);
                at += cell.Length;
            }

            var shape = batched ? [count, .. _rowShapes[i]] : _rowShapes[i];
            inputs[i] = new InferenceTensor(_config.Inputs[i].Name, _config.Inputs[i].DataType, shape, data);
        }

        return new InferenceRequest(_model, _version, null, inputs, _outputs, NoParameters) { Background = true };
    }

    private void Read(InferenceResponse response, int count, Span<double> into)
    {
        var output = response.Outputs.FirstOrDefault(o => o.Name == Target.Output)
            ?? throw new InferenceException(InferenceErrorKind.Internal, $"the model did not return output '{Target.Output}'");
        var total = output.ElementCount;
        if (!CellCodec.IsNumeric(output.DataType) || total != (long)count * Target.ElementsPerRow)
        {
            throw new InferenceException(InferenceErrorKind.Internal, $"output '{Target.Output}' came back with {total} elements for {count} rows; expected {Target.ElementsPerRow} per row");
        }

        for (var r = 0; r < count; r++)
        {
            into[r] = CellCodec.Read(output.DataType, output.Data.Span, (r * Target.ElementsPerRow) + Target.Index);
        }
    }
}

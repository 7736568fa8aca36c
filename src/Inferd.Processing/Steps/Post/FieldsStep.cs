using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Post;

/// <summary>
/// <c>fields</c>: numeric <c>x</c> [N,F] → one FP32 [N] output per name in option <c>names</c>, column by column (a
/// regression's [N,1] becomes e.g. <c>price</c>). The ports are the names themselves.
/// </summary>
internal sealed class FieldsStep : IPipelineStep
{
    private readonly string[] _names;

    private FieldsStep(string[] names)
    {
        _names = names;
        Outputs = names.Select(n => new TensorSignature(n, DataType.Fp32, [-1])).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Reads the names and checks the wiring.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        options.CheckKnown("names");
        var names = options.GetStrings("names") ?? throw options.Error("option 'names' is required");
        if (names.Length == 0 || names.Any(n => n.Length == 0))
        {
            throw options.Error("option 'names' must hold at least one non-empty name");
        }

        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw options.Error($"option 'names' lists '{StepOptions.Clip(duplicate.Key)}' twice");
        }

        var x = StepChecks.Input(context, "x", null, 2);
        if (x.DataType is DataType.Bytes or DataType.Bool)
        {
            throw options.Error($"input 'x' must be numeric, but '{x.Name}' is {x.DataType.ToWireName()}");
        }

        if (x.Shape[1] >= 0 && x.Shape[1] != names.Length)
        {
            throw options.Error($"option 'names' lists {names.Length} names but '{x.Name}' has {x.Shape[1]} columns");
        }

        return ValueTask.FromResult<IPipelineStep>(new FieldsStep(names));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var x = inputs[0];
        var rows = StepChecks.Check(x, null, 2);
        if (x.Shape[1] != _names.Length)
        {
            throw InferenceException.Invalid($"field '{x.Name}' has {x.Shape[1]} columns; expected {_names.Length} ({string.Join(", ", _names)})");
        }

        var outputs = new InferenceTensor[_names.Length];
        for (var f = 0; f < _names.Length; f++)
        {
            outputs[f] = TensorData.NewFloats(_names[f], [rows], out var column);
            for (var r = 0; r < rows; r++)
            {
                column[r] = (float)TensorData.ReadNumber(x, ((long)r * _names.Length) + f);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>(outputs);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

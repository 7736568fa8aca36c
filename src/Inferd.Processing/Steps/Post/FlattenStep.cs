using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Post;

/// <summary>
/// <c>flatten</c>: <c>x</c> of any type [N,...] → <c>flat</c> [N, product of the other dimensions]. The row-major layout
/// of [N,a,b] and [N,a·b] is the same bytes, so the output is the input's memory with a new shape: no copy.
/// </summary>
internal sealed class FlattenStep : IPipelineStep
{
    private FlattenStep(DataType type, long width)
    {
        Outputs = [new TensorSignature("flat", type, [-1, width])];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Checks the wiring; the width is known when every non-batch dimension is.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        context.Options.CheckKnown();
        var x = StepChecks.Input(context, "x", null);
        var rest = x.Shape.AsSpan(1);
        var width = rest.IndexOfAnyInRange(long.MinValue, -1) >= 0 ? -1 : TensorData.Count(rest);
        return ValueTask.FromResult<IPipelineStep>(new FlattenStep(x.DataType, width));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var x = inputs[0];
        var rows = StepChecks.Check(x, null);
        InferenceTensor flat = x with { Name = "flat", Shape = [rows, TensorData.Count(x.Shape.AsSpan(1))] };
        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([flat]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

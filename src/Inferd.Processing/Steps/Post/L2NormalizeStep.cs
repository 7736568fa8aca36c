using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Post;

/// <summary>
/// <c>l2_normalize</c>: FP32 <c>x</c> [N,D] → <c>normalized</c> [N,D], each row divided by its Euclidean norm. The norm
/// is clamped at 1e-12 (PyTorch's <c>F.normalize</c>), so a zero row stays zero instead of becoming NaN.
/// </summary>
internal sealed class L2NormalizeStep : IPipelineStep
{
    private L2NormalizeStep(long dimensions)
    {
        Outputs = [new TensorSignature("normalized", DataType.Fp32, [-1, dimensions])];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Checks the wiring.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        context.Options.CheckKnown();
        var x = StepChecks.Input(context, "x", DataType.Fp32, 2);
        return ValueTask.FromResult<IPipelineStep>(new L2NormalizeStep(StepChecks.Dim(x, 1)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var x = inputs[0];
        var rows = StepChecks.Check(x, DataType.Fp32, 2);
        var dimensions = checked((int)x.Shape[1]);
        var source = TensorData.Floats(x);
        var result = TensorData.NewFloats("normalized", [rows, dimensions], out var destination);
        for (var r = 0; r < rows; r++)
        {
            var row = source.Slice(r * dimensions, dimensions);
            double squares = 0;
            foreach (var v in row)
            {
                squares += (double)v * v;
            }

            var norm = Math.Max(Math.Sqrt(squares), 1e-12);
            var target = destination.Slice(r * dimensions, dimensions);
            for (var d = 0; d < dimensions; d++)
            {
                target[d] = (float)(row[d] / norm);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([result]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

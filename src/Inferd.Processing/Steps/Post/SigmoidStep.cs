using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Post;

/// <summary><c>sigmoid</c>: FP32 <c>x</c> of any shape → <c>y</c> = 1 / (1 + e^-x), same shape.</summary>
internal sealed class SigmoidStep : IPipelineStep
{
    private SigmoidStep(long[] shape)
    {
        Outputs = [new TensorSignature("y", DataType.Fp32, [-1, .. shape[1..]])];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Checks the wiring.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        context.Options.CheckKnown();
        var x = StepChecks.Input(context, "x", DataType.Fp32);
        return ValueTask.FromResult<IPipelineStep>(new SigmoidStep(x.Shape));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var x = inputs[0];
        StepChecks.Check(x, DataType.Fp32);
        var source = TensorData.Floats(x);
        var result = TensorData.NewFloats("y", (long[])x.Shape.Clone(), out var destination);
        for (var i = 0; i < source.Length; i++)
        {
            // Split by sign so exp never overflows: for x < 0, e^x / (1 + e^x) is the same value.
            var v = (double)source[i];
            destination[i] = v >= 0 ? (float)(1 / (1 + Math.Exp(-v))) : (float)(Math.Exp(v) / (1 + Math.Exp(v)));
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([result]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

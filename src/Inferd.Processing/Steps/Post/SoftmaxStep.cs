using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Post;

/// <summary>
/// <c>softmax</c>: FP32 <c>logits</c> [N,C] → <c>probabilities</c> [N,C], row by row. The row maximum is subtracted
/// before exponentiating, so large logits do not overflow to infinity.
/// </summary>
internal sealed class SoftmaxStep : IPipelineStep
{
    private SoftmaxStep(long classes)
    {
        Outputs = [new TensorSignature("probabilities", DataType.Fp32, [-1, classes])];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Checks the wiring.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        context.Options.CheckKnown();
        var logits = StepChecks.Input(context, "logits", DataType.Fp32, 2);
        return ValueTask.FromResult<IPipelineStep>(new SoftmaxStep(StepChecks.Dim(logits, 1)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var logits = inputs[0];
        var rows = StepChecks.Check(logits, DataType.Fp32, 2);
        var classes = checked((int)logits.Shape[1]);
        var source = TensorData.Floats(logits);
        var result = TensorData.NewFloats("probabilities", [rows, classes], out var destination);
        for (var r = 0; r < rows; r++)
        {
            Apply(source.Slice(r * classes, classes), destination.Slice(r * classes, classes));
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([result]);
    }

    /// <summary>Softmax of one row.</summary>
    public static void Apply(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        if (logits.IsEmpty)
        {
            return;
        }

        var max = float.NegativeInfinity;
        foreach (var v in logits)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = Math.Exp(logits[i] - (double)max);
            probabilities[i] = (float)e;
            sum += e;
        }

        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] = (float)(probabilities[i] / sum);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Post;

/// <summary>
/// <c>mean_pool</c>: FP32 <c>hidden</c> [N,S,D] and INT64 <c>mask</c> [N,S] → <c>pooled</c> [N,D], the average of the
/// token vectors whose mask is non-zero (sentence-transformers' mean pooling). The count is clamped at 1e-9 as there,
/// so a row with no tokens pools to zeros instead of NaN.
/// </summary>
internal sealed class MeanPoolStep : IPipelineStep
{
    private MeanPoolStep(long dimensions)
    {
        Outputs = [new TensorSignature("pooled", DataType.Fp32, [-1, dimensions])];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Checks the wiring.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        context.Options.CheckKnown();
        var hidden = StepChecks.Input(context, "hidden", DataType.Fp32, 3);
        var mask = StepChecks.Input(context, "mask", DataType.Int64, 2);
        if (hidden.Shape[1] >= 0 && mask.Shape[1] >= 0 && hidden.Shape[1] != mask.Shape[1])
        {
            throw context.Options.Error($"'{hidden.Name}' has {hidden.Shape[1]} tokens per row but '{mask.Name}' has {mask.Shape[1]}");
        }

        return ValueTask.FromResult<IPipelineStep>(new MeanPoolStep(StepChecks.Dim(hidden, 2)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var (hidden, mask) = (inputs[0], inputs[1]);
        var rows = StepChecks.Check(hidden, DataType.Fp32, 3);
        StepChecks.Check(mask, DataType.Int64, 2);
        if (mask.Shape[0] != rows || mask.Shape[1] != hidden.Shape[1])
        {
            throw InferenceException.Invalid($"field '{mask.Name}' has shape {TensorShape.Format(mask.Shape)} but '{hidden.Name}' has {TensorShape.Format(hidden.Shape)}; they must agree on rows and tokens");
        }

        var tokens = checked((int)hidden.Shape[1]);
        var dimensions = checked((int)hidden.Shape[2]);
        var vectors = TensorData.Floats(hidden);
        var flags = TensorData.Int64s(mask);
        var result = TensorData.NewFloats("pooled", [rows, dimensions], out var pooled);
        var sum = new double[dimensions];
        for (var r = 0; r < rows; r++)
        {
            Array.Clear(sum);
            var count = 0;
            for (var t = 0; t < tokens; t++)
            {
                if (flags[(r * tokens) + t] == 0)
                {
                    continue;
                }

                count++;
                var vector = vectors.Slice(((r * tokens) + t) * dimensions, dimensions);
                for (var d = 0; d < dimensions; d++)
                {
                    sum[d] += vector[d];
                }
            }

            var divisor = Math.Max(count, 1e-9);
            var row = pooled.Slice(r * dimensions, dimensions);
            for (var d = 0; d < dimensions; d++)
            {
                row[d] = (float)(sum[d] / divisor);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([result]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

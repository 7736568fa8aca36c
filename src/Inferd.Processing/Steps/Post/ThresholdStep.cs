using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Post;

/// <summary>
/// <c>threshold</c>: FP32 <c>score</c> [N] or [N,1] → <c>decision</c> [N], true where score ≥ <c>threshold</c>
/// (default 0.5). BOOL, or BYTES when option <c>labels</c> gives the two names (negative first, then positive).
/// </summary>
internal sealed class ThresholdStep : IPipelineStep
{
    private readonly double _threshold;
    private readonly string[]? _labels;

    private ThresholdStep(double threshold, string[]? labels)
    {
        _threshold = threshold;
        _labels = labels;
        Outputs = [new TensorSignature("decision", labels is null ? DataType.Bool : DataType.Bytes, [-1])];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Reads the options and checks the wiring.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        options.CheckKnown("threshold", "labels");
        var threshold = options.GetDouble("threshold", 0.5);
        var labels = options.GetStrings("labels");
        if (labels is not null && labels.Length != 2)
        {
            throw options.Error($"option 'labels' must name 2 labels (negative, positive), got {labels.Length}");
        }

        var score = StepChecks.Input(context, "score", DataType.Fp32, 1, 2);
        if (score.Shape.Length == 2 && score.Shape[1] > 1)
        {
            throw options.Error($"input 'score' must be [-1] or [-1,1], but '{score.Name}' has shape {TensorShape.Format(score.Shape)}");
        }

        return ValueTask.FromResult<IPipelineStep>(new ThresholdStep(threshold, labels));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var score = inputs[0];
        var rows = StepChecks.Check(score, DataType.Fp32, 1, 2);
        if (score.Shape.Length == 2 && score.Shape[1] != 1)
        {
            throw Abstractions.Inference.InferenceException.Invalid($"field '{score.Name}' must be [N] or [N,1], got shape {TensorShape.Format(score.Shape)}");
        }

        var source = TensorData.Floats(score);
        if (_labels is null)
        {
            var result = TensorData.NewBools("decision", [rows], out var decisions);
            for (var r = 0; r < rows; r++)
            {
                decisions[r] = source[r] >= _threshold ? (byte)1 : (byte)0;
            }

            return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([result]);
        }

        var names = new string[rows];
        for (var r = 0; r < rows; r++)
        {
            names[r] = source[r] >= _threshold ? _labels[1] : _labels[0];
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([TensorData.Strings("decision", [rows], names)]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

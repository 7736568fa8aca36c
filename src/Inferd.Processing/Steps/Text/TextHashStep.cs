using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Text;

/// <summary>
/// <c>text_hash</c>: <c>text</c> BYTES [-1] (or [-1,1]) → <c>features</c> FP32 [-1, dimensions], a hashed bag of words
/// (<see cref="HashedTextFeaturizer"/>). Options: <c>dimensions</c> (power of two, default 4096), <c>ngrams</c> (1 or
/// 2, default 2), <c>max_chars</c> (default 100000).
/// </summary>
internal sealed class TextHashStep : IPipelineStep
{
    private readonly HashedTextFeaturizer _featurizer;

    private TextHashStep(HashedTextFeaturizer featurizer)
    {
        _featurizer = featurizer;
        Outputs = [new TensorSignature("features", DataType.Fp32, [-1, featurizer.Dimensions])];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Reads the options and checks the wired text.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        options.CheckKnown("dimensions", "ngrams", "max_chars");
        // 2^24 buckets is 64 MB per row already; more is a typo, not a model.
        var dimensions = options.GetInt("dimensions", HashedTextFeaturizer.DefaultDimensions, 2, 1 << 24);
        if ((dimensions & (dimensions - 1)) != 0)
        {
            throw options.Error($"option 'dimensions' must be a power of two, got {dimensions}");
        }

        var featurizer = new HashedTextFeaturizer(dimensions, options.GetInt("ngrams", 2, 1, 2), options.GetInt("max_chars", HashedTextFeaturizer.DefaultMaxChars, 1));
        var text = context.Input("text");
        if (text.DataType != DataType.Bytes || !(text.Shape.Length == 1 || (text.Shape.Length == 2 && text.Shape[1] is 1 or -1)))
        {
            throw options.Error($"input 'text' reads '{text.Name}', which is {text.DataType.ToWireName()} {TensorShape.Format(text.Shape)}; expected BYTES [-1] or [-1,1]");
        }

        return ValueTask.FromResult<IPipelineStep>(new TextHashStep(featurizer));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var input = inputs[0];
        var batch = TensorData.BatchSize(input);
        var elements = TensorData.Elements(input);
        if (elements.Length != batch)
        {
            throw InferenceException.Invalid($"field '{input.Name}' has shape {TensorShape.Format(input.Shape)}; expected one text per row");
        }

        var width = _featurizer.Dimensions;
        var output = TensorData.NewFloats("features", [batch, width], out var matrix);
        for (var r = 0; r < batch; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _featurizer.Featurize(TensorData.Utf8(elements[r], input.Name, r), matrix.Slice(r * width, width));
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([output]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

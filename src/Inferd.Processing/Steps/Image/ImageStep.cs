using System.Runtime.InteropServices;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Steps.Post;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Image;

/// <summary>
/// <c>image</c>: encoded images, BYTES <c>image</c> [N] → <c>tensor</c> FP32 (or UINT8) [N,3,H,W] (<c>nchw</c>) or
/// [N,H,W,3] (<c>nhwc</c>). Options are <see cref="ImageOptions"/>; the work is <see cref="ImagePreprocessor"/>.
/// </summary>
internal sealed class ImageStep : IPipelineStep
{
    private readonly ImageOptions _options;

    private ImageStep(ImageOptions options)
    {
        _options = options;
        long[] shape = options.ChannelsLast ? [-1, options.Height, options.Width, 3] : [-1, 3, options.Height, options.Width];
        Outputs = [new TensorSignature("tensor", options.Bytes ? DataType.UInt8 : DataType.Fp32, shape)];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Reads the options and checks the wiring.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        var options = ImageOptions.Read(context.Options);
        StepChecks.Input(context, "image", DataType.Bytes, 1);
        return ValueTask.FromResult<IPipelineStep>(new ImageStep(options));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var image = inputs[0];
        StepChecks.Check(image, DataType.Bytes, 1);
        var elements = TensorData.Elements(image);
        long[] shape = [elements.Length, .. Outputs[0].Shape.AsSpan(1)];
        var length = _options.Length;
        if (_options.Bytes)
        {
            var buffer = new byte[checked(elements.Length * length)];
            for (var r = 0; r < elements.Length; r++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ImagePreprocessor.Fill(elements[r].Span, _options, buffer.AsSpan(r * length, length), image.Name, r);
            }

            return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([new InferenceTensor("tensor", DataType.UInt8, shape, buffer)]);
        }

        var tensor = TensorData.NewFloats("tensor", shape, out var values);
        for (var r = 0; r < elements.Length; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ImagePreprocessor.Fill(elements[r].Span, _options, values.Slice(r * length, length), image.Name, r);
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([tensor]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

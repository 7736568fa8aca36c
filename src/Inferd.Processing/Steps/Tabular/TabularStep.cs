using System.Globalization;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Tensors;

namespace Inferd.Processing.Steps.Tabular;

/// <summary>
/// <c>tabular</c>: named fields in (one port per feature, each [-1] or [-1,1]), one FP32 matrix
/// <c>features</c> [-1, F] out. Options: <c>features</c> (see <see cref="FeatureSchema"/>). Numbers and bools take any
/// numeric or BOOL tensor; categories take BYTES, or numbers compared by their invariant text. Missing values are NaN
/// numbers and empty strings (what the friendly REST endpoint sends for an absent JSON field).
/// </summary>
internal sealed class TabularStep : IPipelineStep
{
    private readonly TabularEncoder _encoder;

    private TabularStep(TabularEncoder encoder)
    {
        _encoder = encoder;
        Outputs = [new TensorSignature("features", DataType.Fp32, [-1, encoder.Schema.Width])];
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Reads the schema and checks each wired field's type and shape.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        context.Options.CheckKnown("features");
        FeatureSchema schema;
        try
        {
            schema = FeatureSchema.Parse(context.Options.GetElement("features") ?? throw context.Options.Error("option 'features' is required"));
        }
        catch (Core.Repository.ModelConfigException e) when (!e.Message.StartsWith("pipeline step", StringComparison.Ordinal))
        {
            throw context.Options.Error(e.Message);
        }

        foreach (var f in schema.Features)
        {
            var wired = context.Input(f.Name);
            var shapeOk = wired.Shape.Length == 1 || (wired.Shape.Length == 2 && wired.Shape[1] is 1 or -1);
            var typeOk = wired.DataType == DataType.Bytes ? f.Type == FeatureType.Category : IsNumeric(wired.DataType);
            if (!shapeOk || !typeOk)
            {
                throw context.Options.Error(
                    $"feature '{f.Name}' ({f.Type.ToString().ToLowerInvariant()}) reads '{wired.Name}', which is {wired.DataType.ToWireName()} {TensorShape.Format(wired.Shape)}; "
                    + (f.Type == FeatureType.Category ? "expected BYTES or a number" : "expected a number or BOOL") + " of shape [-1] or [-1,1]");
            }
        }

        return ValueTask.FromResult<IPipelineStep>(new TabularStep(new TabularEncoder(schema)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var batch = TensorData.BatchSize(inputs[0]);
        var texts = new ReadOnlyMemory<byte>[]?[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (TensorData.BatchSize(input) != batch || TensorData.Count(input.Shape) != batch)
            {
                throw InferenceException.Invalid($"field '{input.Name}' has shape {TensorShape.Format(input.Shape)}; expected [{batch}] like '{inputs[0].Name}'");
            }

            if (input.DataType == DataType.Bytes)
            {
                texts[i] = _encoder.Schema.Features[i].Type == FeatureType.Category
                    ? TensorData.Elements(input)
                    : throw InferenceException.Invalid($"field '{input.Name}' must be numeric, got BYTES");
            }
        }

        var width = _encoder.Schema.Width;
        var output = TensorData.NewFloats("features", [batch, width], out var matrix);
        for (var r = 0; r < batch; r++)
        {
            _encoder.Encode(new TensorRow(inputs, texts, r), matrix.Slice(r * width, width));
        }

        return ValueTask.FromResult<IReadOnlyList<InferenceTensor>>([output]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static bool IsNumeric(DataType type) => type is not (DataType.Bytes or DataType.Invalid or DataType.Bf16);

    /// <summary>Row <see cref="Index"/> of the request tensors.</summary>
    private readonly struct TensorRow(IReadOnlyList<InferenceTensor> inputs, ReadOnlyMemory<byte>[]?[] texts, int index) : ITabularRow
    {
        public int Index => index;

        public string Field(int feature) => inputs[feature].Name;

        public double Number(int feature) => TensorData.ReadNumber(inputs[feature], index);

        public string Text(int feature)
        {
            if (texts[feature] is { } elements)
            {
                return TensorData.Utf8(elements[index], inputs[feature].Name, index);
            }

            var value = TensorData.ReadNumber(inputs[feature], index);
            return double.IsNaN(value) ? "" : value.ToString(CultureInfo.InvariantCulture);
        }
    }
}

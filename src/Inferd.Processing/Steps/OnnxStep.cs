using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;

namespace Inferd.Processing.Steps;

/// <summary>
/// Runs an ONNX file that sits in the pipeline's version directory (option <c>file</c>, default <c>model.onnx</c>) on
/// the same backend as plain models. Ports are the file's own input and output names; the step's <c>outputs</c>
/// wiring, when given, limits which outputs are computed.
/// </summary>
internal sealed class OnnxStep : IPipelineStep
{
    private readonly ILoadedModel _model;
    private readonly TensorSignature[] _inputs;
    private readonly string[] _outputNames;

    private OnnxStep(ILoadedModel model, TensorSignature[] inputs, TensorSignature[] outputs)
    {
        _model = model;
        _inputs = inputs;
        Outputs = outputs;
        _outputNames = outputs.Select(o => o.Name).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Instances of the loaded file; the pipeline runs at most this many calls at once.</summary>
    public int Concurrency => _model.InstanceCount;

    /// <summary>Loads the file and checks the wired values against its inputs.</summary>
    public static async ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        context.Options.CheckKnown("file");
        var file = context.ResolveFile("file", context.Options.GetString("file", "model.onnx"));
        var config = context.Model.Config with { Pipeline = null, Inputs = [], Outputs = [], DefaultModelFilename = Path.GetFileName(file) };
        var model = await context.InnerBackend.LoadAsync(context.Model with { ModelFilePath = file, Config = config }, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var input in model.Signature.Inputs)
            {
                var wired = context.Input(input.Name);
                Check(context, input, wired);
            }

            var wanted = context.Definition.Outputs;
            var unknown = wanted.Keys.FirstOrDefault(k => model.Signature.Outputs.All(o => o.Name != k));
            if (unknown is not null)
            {
                throw context.Options.Error($"the ONNX file has no output '{unknown}' (it has {string.Join(", ", model.Signature.Outputs.Select(o => o.Name))})");
            }

            var outputs = model.Signature.Outputs.Where(o => wanted.Count == 0 || wanted.ContainsKey(o.Name)).ToArray();
            return new OnnxStep(model, model.Signature.Inputs.ToArray(), outputs);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        // The backend matches inputs by name: rename (a new record over the same buffer, not a copy of the data).
        var named = new InferenceTensor[inputs.Count];
        for (var i = 0; i < named.Length; i++)
        {
            var input = inputs[i];
            var declared = _inputs[i];
            if (!Fits(declared.Shape, input.Shape))
            {
                throw ShapeError(input.Name, input.Shape);
            }

            named[i] = input.Name == declared.Name ? input : input with { Name = declared.Name };
        }

        return await _model.RunAsync(context.Instance % _model.InstanceCount, named, _outputNames, context.Timings, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();

    private static void Check(StepLoadContext context, TensorSignature declared, TensorSignature wired)
    {
        if (declared.DataType != wired.DataType)
        {
            throw context.Options.Error($"ONNX input '{declared.Name}' is {declared.DataType.ToWireName()} but '{wired.Name}' is {wired.DataType.ToWireName()}");
        }

        if (declared.Shape.Length != wired.Shape.Length)
        {
            throw context.Options.Error($"ONNX input '{declared.Name}' has shape {TensorShape.Format(declared.Shape)} but '{wired.Name}' has {TensorShape.Format(wired.Shape)}");
        }

        for (var d = 0; d < declared.Shape.Length; d++)
        {
            if (declared.Shape[d] >= 0 && wired.Shape[d] >= 0 && declared.Shape[d] != wired.Shape[d])
            {
                throw context.Options.Error($"ONNX input '{declared.Name}' has shape {TensorShape.Format(declared.Shape)} but '{wired.Name}' has {TensorShape.Format(wired.Shape)}");
            }
        }
    }

    private static bool Fits(long[] declared, long[] actual)
    {
        if (declared.Length != actual.Length)
        {
            return false;
        }

        for (var d = 0; d < declared.Length; d++)
        {
            if (declared[d] >= 0 && declared[d] != actual[d])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Message for a value whose runtime shape the file refuses (checked before the native call).</summary>
    private static InferenceException ShapeError(string field, long[] shape) =>
        InferenceException.Invalid($"field '{field}' has shape {TensorShape.Format(shape)}, which the model does not accept");
}

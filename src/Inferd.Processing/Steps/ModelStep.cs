using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;

namespace Inferd.Processing.Steps;

/// <summary>
/// Calls another model of the repository (option <c>model</c>, optional <c>version</c>) through the facade, so the
/// call gets that model's scheduler, dynamic batching, version policy and statistics. Ports are the target's input
/// and output names. The target must be ready when the pipeline loads (pipelines load after plain models).
/// </summary>
internal sealed class ModelStep : IPipelineStep
{
    private static readonly Dictionary<string, ParameterValue> NoParameters = new(StringComparer.Ordinal);

    private readonly Func<Inferd.Core.Inference.IInferenceService?> _facade;
    private readonly string _model;
    private readonly string? _version;
    private readonly string[] _inputNames;
    private readonly RequestedOutput[] _requested;

    private ModelStep(Func<Inferd.Core.Inference.IInferenceService?> facade, string model, string? version, string[] inputNames, TensorSignature[] outputs)
    {
        _facade = facade;
        _model = model;
        _version = version;
        _inputNames = inputNames;
        Outputs = outputs;
        _requested = outputs.Select(o => new RequestedOutput(o.Name, NoParameters)).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<TensorSignature> Outputs { get; }

    /// <summary>Reads the target's metadata and checks the wiring against it.</summary>
    public static ValueTask<IPipelineStep> LoadAsync(StepLoadContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        options.CheckKnown("model", "version");
        var model = options.GetString("model");
        var version = options.Has("version") ? options.GetString("version") : null;
        if (model == context.Model.ModelName)
        {
            throw options.Error("a pipeline cannot call itself");
        }

        var facade = context.Facade() ?? throw options.Error("model steps need the server's inference facade");
        Abstractions.Models.ModelMetadata metadata;
        try
        {
            metadata = facade.GetModelMetadata(model, version);
        }
        catch (InferenceException ex)
        {
            throw options.Error($"model '{StepOptions.Clip(model)}' cannot be used: {ex.Message}");
        }

        foreach (var input in metadata.Inputs)
        {
            var wired = context.Input(input.Name);
            if (wired.DataType != input.DataType)
            {
                throw options.Error($"model input '{input.Name}' is {input.DataType.ToWireName()} but '{wired.Name}' is {wired.DataType.ToWireName()}");
            }
        }

        var wanted = context.Definition.Outputs;
        var unknown = wanted.Keys.FirstOrDefault(k => metadata.Outputs.All(o => o.Name != k));
        if (unknown is not null)
        {
            throw options.Error($"model '{model}' has no output '{unknown}'");
        }

        var outputs = metadata.Outputs.Where(o => wanted.Count == 0 || wanted.ContainsKey(o.Name)).ToArray();
        return ValueTask.FromResult<IPipelineStep>(new ModelStep(context.Facade, model, version, metadata.Inputs.Select(i => i.Name).ToArray(), outputs));
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(IReadOnlyList<InferenceTensor> inputs, StepCallContext context, CancellationToken cancellationToken)
    {
        var facade = _facade() ?? throw new InferenceException(InferenceErrorKind.ModelNotReady, "the inference facade is not attached");
        var named = new InferenceTensor[inputs.Count];
        for (var i = 0; i < named.Length; i++)
        {
            named[i] = inputs[i].Name == _inputNames[i] ? inputs[i] : inputs[i] with { Name = _inputNames[i] };
        }

        var response = await facade.InferAsync(new InferenceRequest(_model, _version, null, named, _requested, NoParameters), cancellationToken).ConfigureAwait(false);
        return response.Outputs;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}

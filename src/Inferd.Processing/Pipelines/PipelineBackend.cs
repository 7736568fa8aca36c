using Inferd.Abstractions.Backends;
using Inferd.Core.Inference;

namespace Inferd.Processing.Pipelines;

/// <summary>
/// The backend the server runs: plain models go to the wrapped backend (ONNX Runtime) unchanged; a model whose
/// config has a <c>pipeline</c> section loads as a <see cref="PipelineModel"/>, whose inline ONNX steps use the
/// wrapped backend and whose repository steps call back into the facade.
/// </summary>
public sealed class PipelineBackend : IModelBackend, IFacadeAwareBackend
{
    private readonly IModelBackend _inner;
    private IInferenceService? _facade;

    /// <summary>Wraps the backend that runs ONNX files.</summary>
    public PipelineBackend(IModelBackend inner)
    {
        _inner = inner;
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public string Platform => _inner.Platform;

    /// <inheritdoc />
    public void AttachFacade(IInferenceService service) => Volatile.Write(ref _facade, service);

    /// <inheritdoc />
    public async Task<ILoadedModel> LoadAsync(ModelLoadContext context, CancellationToken cancellationToken)
    {
        if (context.Config.Pipeline is null)
        {
            return await _inner.LoadAsync(context, cancellationToken).ConfigureAwait(false);
        }

        var definition = PipelineParser.Parse(context.Config.Pipeline);
        return await PipelineModel.LoadAsync(definition, context, _inner, () => Volatile.Read(ref _facade), cancellationToken).ConfigureAwait(false);
    }
}

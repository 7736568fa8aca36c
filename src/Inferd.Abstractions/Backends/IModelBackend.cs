namespace Inferd.Abstractions.Backends;

/// <summary>A runtime that turns a model file into runnable instances. ONNX Runtime is the built-in one.</summary>
public interface IModelBackend
{
    /// <summary>Backend name as it appears in <c>backend</c> in the model config, e.g. <c>onnxruntime</c>.</summary>
    string Name { get; }

    /// <summary>Platform string reported in model metadata, e.g. <c>onnxruntime_onnx</c>.</summary>
    string Platform { get; }

    /// <summary>Loads one version.</summary>
    /// <returns>A loaded model. Ownership: the caller disposes it once no request uses it.</returns>
    Task<ILoadedModel> LoadAsync(ModelLoadContext context, CancellationToken cancellationToken);
}

using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Tensors;

namespace Inferd.Testing.Fakes;

/// <summary>
/// Wraps a real backend (ONNX Runtime) so that every run first passes a <see cref="RunLog"/>: a test can hold the
/// instances busy and see the batches the scheduler formed, while the model itself runs for real.
/// </summary>
public sealed class GatedBackend(IModelBackend inner) : IModelBackend
{
    public string Name => inner.Name;

    public string Platform => inner.Platform;

    /// <summary>Runs of every model this backend loaded.</summary>
    public RunLog Log { get; } = new();

    public async Task<ILoadedModel> LoadAsync(ModelLoadContext context, CancellationToken cancellationToken) =>
        new GatedModel(await inner.LoadAsync(context, cancellationToken).ConfigureAwait(false), Log);

    private sealed class GatedModel(ILoadedModel inner, RunLog log) : ILoadedModel
    {
        public ModelSignature Signature => inner.Signature;

        public string Description => inner.Description;

        public int InstanceCount => inner.InstanceCount;

        public async ValueTask<IReadOnlyList<InferenceTensor>> RunAsync(int instance, IReadOnlyList<InferenceTensor> inputs, IReadOnlyList<string> outputNames, RunTimings timings, CancellationToken cancellationToken)
        {
            await log.EnterAsync(inputs, cancellationToken).ConfigureAwait(false);
            return await inner.RunAsync(instance, inputs, outputNames, timings, cancellationToken).ConfigureAwait(false);
        }

        public void Dispose() => inner.Dispose();
    }
}

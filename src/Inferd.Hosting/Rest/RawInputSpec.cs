using Inferd.Abstractions.Backends;

namespace Inferd.Hosting.Rest;

/// <summary>What a raw binary request (<c>Inference-Header-Content-Length: 0</c>) needs to know about the model.</summary>
/// <param name="Inputs">The model's inputs as metadata reports them (with a leading -1 when it batches).</param>
/// <param name="Batches">True when the model batches: <c>max_batch_size &gt; 0</c>.</param>
internal sealed record RawInputSpec(IReadOnlyList<TensorSignature> Inputs, bool Batches);

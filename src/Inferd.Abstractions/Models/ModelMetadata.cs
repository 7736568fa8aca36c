using Inferd.Abstractions.Backends;

namespace Inferd.Abstractions.Models;

/// <summary>Model metadata. Shapes include a leading -1 when the model batches.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Versions">Versions that are ready (or the one asked for).</param>
/// <param name="Platform">Platform, e.g. <c>onnxruntime_onnx</c>.</param>
/// <param name="Inputs">Inputs.</param>
/// <param name="Outputs">Outputs.</param>
public sealed record ModelMetadata(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<TensorSignature> Inputs,
    IReadOnlyList<TensorSignature> Outputs);

namespace Inferd.Abstractions.Backends;

/// <summary>Inputs and outputs read from a model file; the repository completes the config from it.</summary>
/// <param name="Inputs">Declared inputs.</param>
/// <param name="Outputs">Declared outputs.</param>
public sealed record ModelSignature(IReadOnlyList<TensorSignature> Inputs, IReadOnlyList<TensorSignature> Outputs);

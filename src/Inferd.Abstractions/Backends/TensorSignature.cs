using Inferd.Abstractions.Tensors;

namespace Inferd.Abstractions.Backends;

/// <summary>A tensor as a model file declares it: -1 marks a symbolic or unknown dimension.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Shape">Full shape including any batch dimension.</param>
public sealed record TensorSignature(string Name, DataType DataType, long[] Shape);

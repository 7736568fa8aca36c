namespace Inferd.Client;

/// <summary>Model metadata as the server reports it (<c>$metadata_model_response</c>, protocol.md §4).</summary>
/// <param name="Name">Model name.</param>
/// <param name="Versions">Available versions; may be empty.</param>
/// <param name="Platform">Informational platform name, e.g. <c>onnxruntime_onnx</c>.</param>
/// <param name="Inputs">Input tensors.</param>
/// <param name="Outputs">Output tensors.</param>
public sealed record ClientModelMetadata(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<ClientTensorMetadata> Inputs,
    IReadOnlyList<ClientTensorMetadata> Outputs);

/// <summary>One tensor of <see cref="ClientModelMetadata"/>.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Datatype">Wire datatype name, e.g. <c>FP32</c>, kept as sent so unknown names survive.</param>
/// <param name="Shape">Dimensions; -1 marks a variable dimension.</param>
public sealed record ClientTensorMetadata(string Name, string Datatype, long[] Shape);

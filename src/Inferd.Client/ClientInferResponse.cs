namespace Inferd.Client;

/// <summary>The answer to <see cref="IInferdClient.InferAsync"/>.</summary>
/// <param name="ModelName">Model that ran.</param>
/// <param name="ModelVersion">Version that ran; empty when the server did not say.</param>
/// <param name="Id">Request id as echoed; empty when none.</param>
/// <param name="Outputs">Output tensors, in the order the server sent them.</param>
/// <param name="Parameters">Response parameters (string, bool, long, ulong or double values).</param>
public sealed record ClientInferResponse(
    string ModelName,
    string ModelVersion,
    string Id,
    IReadOnlyList<ClientTensor> Outputs,
    IReadOnlyDictionary<string, object> Parameters)
{
    /// <summary>Finds an output by name.</summary>
    /// <exception cref="KeyNotFoundException">The response has no such output.</exception>
    public ClientTensor GetOutput(string name) =>
        Outputs.FirstOrDefault(o => o.Name == name) ?? throw new KeyNotFoundException($"the response has no output '{name}'");
}

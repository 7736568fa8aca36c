namespace Inferd.Client;

/// <summary>An inference request for <see cref="IInferdClient.InferAsync"/>.</summary>
public sealed record ClientInferRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="modelName">Model to run.</param>
    /// <param name="inputs">Input tensors.</param>
    public ClientInferRequest(string modelName, IReadOnlyList<ClientTensor> inputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelName);
        ArgumentNullException.ThrowIfNull(inputs);
        ModelName = modelName;
        Inputs = inputs;
    }

    /// <summary>Model to run.</summary>
    public string ModelName { get; }

    /// <summary>Input tensors.</summary>
    public IReadOnlyList<ClientTensor> Inputs { get; }

    /// <summary>Model version; null lets the server pick by policy.</summary>
    public string? ModelVersion { get; init; }

    /// <summary>Request id, echoed by the server.</summary>
    public string? Id { get; init; }

    /// <summary>Outputs to return; empty returns every output with default settings.</summary>
    public IReadOnlyList<ClientRequestedOutput> Outputs { get; init; } = [];

    /// <summary>
    /// Request-level parameters (protocol.md §7.6): each value a <see cref="string"/>, <see cref="bool"/>,
    /// <see cref="long"/>, <see cref="int"/> or <see cref="double"/>. Reserved keys such as <c>binary_data_output</c>
    /// are set by the client itself.
    /// </summary>
    public IReadOnlyDictionary<string, object> Parameters { get; init; } = new Dictionary<string, object>();

    /// <summary>
    /// REST only. True (default): inputs travel in the binary tensor extension and outputs are asked for in binary
    /// (protocol.md §6). False: pure JSON with typed <c>data</c>; FP16 and BF16 inputs still travel in binary because
    /// they have no JSON form.
    /// </summary>
    public bool Binary { get; init; } = true;

    /// <summary>
    /// gRPC only. True (default): inputs travel as <c>raw_input_contents</c>. False: typed
    /// <c>InferTensorContents</c>; if any input is FP16 or BF16 (which have no typed form) every input is sent raw,
    /// because the protocol forbids mixing the two (protocol.md §9.4).
    /// </summary>
    public bool Raw { get; init; } = true;
}

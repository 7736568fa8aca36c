namespace Inferd.Abstractions.Inference;

/// <summary>An output the client asked for, with its parameters (classification, binary_data, ...).</summary>
/// <param name="Name">Output name.</param>
/// <param name="Parameters">Per-output parameters as sent.</param>
public sealed record RequestedOutput(string Name, IReadOnlyDictionary<string, ParameterValue> Parameters)
{
    /// <summary>Top-k count from the classification extension, 0 when not requested.</summary>
    public long ClassificationCount =>
        Parameters.TryGetValue("classification", out var p) && p.TryGetInt64(out var k) ? k : 0;
}

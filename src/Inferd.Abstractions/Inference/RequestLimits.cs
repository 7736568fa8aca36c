namespace Inferd.Abstractions.Inference;

/// <summary>
/// Request limits shared by every protocol, checked before anything is allocated (bad-inputs.md §3). Defaults are
/// safe for a server on 2 cores and 24 GiB; all are configurable under <c>Inferd:Limits</c>.
/// </summary>
public sealed record RequestLimits
{
    /// <summary>Largest request body or gRPC message: 64 MiB, as Triton's <c>--http-max-input-size</c>.</summary>
    public long MaxRequestBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest response (gRPC send limit): 256 MiB.</summary>
    public long MaxResponseBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Most elements in one tensor: 64 Mi (256 MiB of FP32).</summary>
    public long MaxElementsPerTensor { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most inputs in one request.</summary>
    public int MaxInputsPerRequest { get; init; } = 128;

    /// <summary>Most requested outputs in one request (CVE-2026-24146 class).</summary>
    public int MaxOutputsPerRequest { get; init; } = 128;

    /// <summary>Most dimensions in a shape.</summary>
    public int MaxRank { get; init; } = 16;

    /// <summary>Most parameters on one request, input or output.</summary>
    public int MaxParameters { get; init; } = 64;

    /// <summary>Longest parameter key or string value.</summary>
    public int MaxParameterLength { get; init; } = 4096;

    /// <summary>JSON nesting depth: System.Text.Json's 64.</summary>
    public int MaxJsonDepth { get; init; } = 64;

    /// <summary>Longest tensor or model name.</summary>
    public int MaxNameLength { get; init; } = 256;

    /// <summary>Whether NaN and ±Infinity are accepted in JSON input (as "NaN", "Infinity", "-Infinity").</summary>
    public bool AllowNonFiniteJsonInput { get; init; } = true;
}

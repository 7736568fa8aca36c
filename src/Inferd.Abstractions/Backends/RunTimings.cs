namespace Inferd.Abstractions.Backends;

/// <summary>Phase durations of one run in nanoseconds, filled in by the backend (statistics extension).</summary>
public sealed class RunTimings
{
    /// <summary>Time spent preparing native inputs.</summary>
    public long ComputeInputNs { get; set; }

    /// <summary>Time spent in the native run.</summary>
    public long ComputeInferNs { get; set; }

    /// <summary>Time spent copying outputs out.</summary>
    public long ComputeOutputNs { get; set; }
}

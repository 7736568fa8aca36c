namespace Inferd.Monitoring.Drift;

/// <summary>Drift of one model version: every profiled input and output feature against its reference.</summary>
internal sealed record DriftReport
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }

    /// <summary>Model version.</summary>
    public required string Version { get; init; }

    /// <summary>Rows in the live window.</summary>
    public required long LiveRows { get; init; }

    /// <summary>Rows the reference was built from.</summary>
    public required long ReferenceRows { get; init; }

    /// <summary>When the reference was built.</summary>
    public required DateTimeOffset ProfileCreated { get; init; }

    /// <summary>Rows kept in the live window (<c>monitoring.drift.window</c>).</summary>
    public required int Window { get; init; }

    /// <summary>Live values a feature needs before it gets a verdict (<c>monitoring.drift.min_rows</c>).</summary>
    public required int MinRows { get; init; }

    /// <summary>Significance level before the Bonferroni correction (<c>monitoring.drift.alpha</c>).</summary>
    public required double Alpha { get; init; }

    /// <summary>PSI at or above which a feature is flagged (<c>monitoring.drift.psi_threshold</c>).</summary>
    public required double PsiThreshold { get; init; }

    /// <summary>Input features.</summary>
    public required IReadOnlyList<FeatureDrift> Inputs { get; init; }

    /// <summary>Output ("prediction") features.</summary>
    public required IReadOnlyList<FeatureDrift> Outputs { get; init; }

    /// <summary>Whether any input feature is flagged.</summary>
    public bool DriftDetected => Inputs.Any(f => f.Flagged);

    /// <summary>Whether any output feature is flagged (prediction drift).</summary>
    public bool PredictionDriftDetected => Outputs.Any(f => f.Flagged);
}

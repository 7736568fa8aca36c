namespace Inferd.Monitoring.Configuration;

/// <summary>A model's <c>monitoring</c> section, parsed (docs/monitoring.md). Every part is optional.</summary>
/// <param name="Log">Prediction-log settings for this model.</param>
/// <param name="Task">What the model predicts, for live accuracy and fairness; null when not configured.</param>
/// <param name="Drift">Drift settings.</param>
/// <param name="Fairness">The protected attribute, or null when fairness is not configured.</param>
public sealed record ModelMonitoringConfig(LogSettings Log, TaskSettings? Task, DriftSettings Drift, FairnessSettings? Fairness)
{
    /// <summary>The settings of a model without a <c>monitoring</c> section.</summary>
    public static ModelMonitoringConfig Default { get; } = new(new LogSettings(), null, new DriftSettings(), null);
}

/// <summary><c>monitoring.log</c>.</summary>
/// <param name="SampleRate">Fraction of requests logged, 0 to 1 (default 1).</param>
/// <param name="Redact">Input or output names whose values are never stored.</param>
/// <param name="Hash">Input or output names whose values are stored as keyed hashes.</param>
/// <param name="MaxTensorElements">Larger tensors are logged without data (shape and datatype only); default 4096.</param>
public sealed record LogSettings(double SampleRate = 1.0, IReadOnlyList<string>? Redact = null, IReadOnlyList<string>? Hash = null, int MaxTensorElements = 4096);

/// <summary><c>monitoring.task</c>.</summary>
/// <param name="Type">binary, multiclass or regression.</param>
/// <param name="Output">The output tensor holding the prediction (a probability or score, a label, or a value).</param>
/// <param name="Threshold">binary: a score at or above it is positive (default 0.5); regression: the positive outcome for fairness is a value at or above it.</param>
/// <param name="PositiveLabel">binary with a label output or label truth: the label counted as positive.</param>
public sealed record TaskSettings(TaskType Type, string Output, double Threshold = 0.5, string? PositiveLabel = null);

/// <summary>What a model predicts.</summary>
public enum TaskType
{
    /// <summary>Two classes; a score compared with a threshold, or a label.</summary>
    Binary,

    /// <summary>Several classes; a label or an index.</summary>
    Multiclass,

    /// <summary>A number.</summary>
    Regression,
}

/// <summary><c>monitoring.drift</c>.</summary>
/// <param name="Profile">The reference profile, relative to the model's folder (default <c>profile.json</c>, written by <c>inferd profile</c>).</param>
/// <param name="Window">Live rows kept per feature and compared with the reference (default 5000).</param>
/// <param name="Alpha">Significance level of the KS and chi-square tests, before the Bonferroni correction over features (default 0.01).</param>
/// <param name="PsiThreshold">PSI at or above which a feature is flagged as well (default 0.2).</param>
/// <param name="MinRows">No verdict below this many live rows (default 500).</param>
public sealed record DriftSettings(string Profile = "profile.json", int Window = 5000, double Alpha = 0.01, double PsiThreshold = 0.2, int MinRows = 500);

/// <summary><c>monitoring.fairness</c>.</summary>
/// <param name="Attribute">The protected attribute: an input name (a field of a named-field model).</param>
/// <param name="Privileged">The reference group for the disparate impact ratio; null compares with the group of highest positive rate.</param>
/// <param name="Window">Logged records considered, newest first (default 10000).</param>
public sealed record FairnessSettings(string Attribute, string? Privileged = null, int Window = 10_000);

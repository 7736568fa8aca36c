namespace Inferd.Monitoring;

/// <summary>Server-wide monitoring settings (<c>inferd serve</c> options); per-model settings live in the model config.</summary>
public sealed record MonitoringOptions
{
    /// <summary>
    /// Where the prediction log goes: null turns it off; a PostgreSQL connection string (<c>Host=...</c>) or URI
    /// (<c>postgres://...</c>) selects PostgreSQL; anything else is a SQLite file path (<c>--prediction-log</c>).
    /// </summary>
    public string? PredictionLog { get; init; }

    /// <summary>Whether a response waits for its log record to be on disk (<c>--prediction-log-mode</c>).</summary>
    public PredictionLogMode PredictionLogMode { get; init; } = PredictionLogMode.BestEffort;

    /// <summary>Records the best-effort queue holds before it drops the newest (<c>--prediction-log-queue</c>).</summary>
    public int PredictionLogQueue { get; init; } = 10_000;

    /// <summary>Records older than this many days are deleted (<c>--prediction-log-retention-days</c>); 0 keeps them.</summary>
    public double RetentionDays { get; init; } = 30;

    /// <summary>The log is trimmed, oldest first, to this many MiB (<c>--prediction-log-max-mb</c>); 0 means no cap.</summary>
    public long MaxLogMegabytes { get; init; } = 1024;

    /// <summary>Key of the keyed hash applied to fields a model lists under <c>monitoring.log.hash</c>; from <c>INFERD_LOG_HASH_KEY</c>.</summary>
    public string? HashKey { get; init; }

    /// <summary>The alert rules file (<c>--alerts</c>), or null for no alerts.</summary>
    public string? AlertsFile { get; init; }

    /// <summary>Returns the problems with these options, or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PredictionLog is { Length: 0 })
        {
            errors.Add("--prediction-log must not be empty");
        }
        else if (PredictionLog is not null && Inferd.Monitoring.PredictionLog.PredictionLogStores.Problem(PredictionLog) is { } logProblem)
        {
            errors.Add(logProblem);
        }

        if (PredictionLogQueue is < 1 or > 10_000_000)
        {
            errors.Add("--prediction-log-queue must be between 1 and 10000000");
        }

        if (RetentionDays < 0 || double.IsNaN(RetentionDays))
        {
            errors.Add("--prediction-log-retention-days must not be negative");
        }

        if (MaxLogMegabytes < 0)
        {
            errors.Add("--prediction-log-max-mb must not be negative");
        }

        if (AlertsFile is not null && !File.Exists(AlertsFile))
        {
            errors.Add("the alerts file does not exist: " + AlertsFile);
        }
        else if (AlertsFile is not null)
        {
            errors.AddRange(Alerts.AlertRules.Problems(AlertsFile));
        }

        return errors;
    }
}

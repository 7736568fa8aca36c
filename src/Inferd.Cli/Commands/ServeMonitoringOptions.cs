using System.CommandLine;
using Inferd.Core.Telemetry;
using Inferd.Hosting;
using Inferd.Monitoring;

namespace Inferd.Cli.Commands;

/// <summary>The observability flags of <c>inferd serve</c>: metrics naming, trace export, the prediction log and alerts.</summary>
internal sealed class ServeMonitoringOptions
{
    private readonly Option<string> _metricsNaming = new("--metrics-naming")
    {
        HelpName = "inferd|triton",
        Description = "Names of the per-model metrics: inferd (inferd_*, seconds) or triton (nv_inference_*, for existing Triton dashboards).",
        DefaultValueFactory = _ => "inferd",
    };

    private readonly Option<string?> _otlp = new("--otlp-endpoint")
    {
        HelpName = "URL",
        Description = "Export traces over OTLP/HTTP to this collector (e.g. http://127.0.0.1:4318). Off when not given.",
    };

    private readonly Option<string?> _log = new("--prediction-log")
    {
        HelpName = "FILE|CONNECTION",
        Description = "Log predictions to a SQLite file, or to PostgreSQL with a connection string (Host=...;Database=...) or postgres:// URI. Off when not given.",
    };

    private readonly Option<string> _logMode = new("--prediction-log-mode")
    {
        HelpName = "best-effort|durable",
        Description = "best-effort never blocks a request (drops are counted); durable answers only after the record is on disk.",
        DefaultValueFactory = _ => "best-effort",
    };

    private readonly Option<int> _logQueue = new("--prediction-log-queue")
    {
        HelpName = "N",
        Description = "Records the best-effort queue holds before it drops new ones.",
        DefaultValueFactory = _ => new MonitoringOptions().PredictionLogQueue,
    };

    private readonly Option<double> _retention = new("--prediction-log-retention-days")
    {
        HelpName = "DAYS",
        Description = "Delete log records older than this; 0 keeps them.",
        DefaultValueFactory = _ => new MonitoringOptions().RetentionDays,
    };

    private readonly Option<long> _maxMb = new("--prediction-log-max-mb")
    {
        HelpName = "MIB",
        Description = "Trim the log, oldest first, to this size; 0 means no cap.",
        DefaultValueFactory = _ => new MonitoringOptions().MaxLogMegabytes,
    };

    private readonly Option<string?> _alerts = new("--alerts")
    {
        HelpName = "FILE",
        Description = "Alert rules (JSON): thresholds on drift, accuracy, fairness and error rate, and the webhook to call.",
    };

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _metricsNaming, _otlp, _log, _logMode, _logQueue, _retention, _maxMb, _alerts })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Copies the parsed flags into <paramref name="options"/>; adds a problem for each bad value.</summary>
    public InferdHostOptions Apply(ParseResult result, InferdHostOptions options, List<string> problems)
    {
        var naming = result.GetValue(_metricsNaming) switch
        {
            "inferd" => MetricsNaming.Inferd,
            "triton" => MetricsNaming.Triton,
            var other => Problem(problems, $"--metrics-naming '{other}' must be inferd or triton", MetricsNaming.Inferd),
        };
        var mode = result.GetValue(_logMode) switch
        {
            "best-effort" => PredictionLogMode.BestEffort,
            "durable" => PredictionLogMode.Durable,
            var other => Problem(problems, $"--prediction-log-mode '{other}' must be best-effort or durable", PredictionLogMode.BestEffort),
        };
        Uri? otlp = null;
        if (result.GetValue(_otlp) is { } text && !Uri.TryCreate(text, UriKind.Absolute, out otlp))
        {
            problems.Add($"--otlp-endpoint '{text}' is not an absolute URL");
        }

        return options with
        {
            MetricsNaming = naming,
            OtlpEndpoint = otlp,
            Monitoring = new MonitoringOptions
            {
                PredictionLog = result.GetValue(_log),
                PredictionLogMode = mode,
                PredictionLogQueue = result.GetValue(_logQueue),
                RetentionDays = result.GetValue(_retention),
                MaxLogMegabytes = result.GetValue(_maxMb),
                AlertsFile = result.GetValue(_alerts),
                HashKey = Environment.GetEnvironmentVariable("INFERD_LOG_HASH_KEY"),
            },
        };
    }

    private static T Problem<T>(List<string> problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }
}

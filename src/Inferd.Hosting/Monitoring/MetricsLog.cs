using Microsoft.Extensions.Logging;

namespace Inferd.Hosting.Monitoring;

/// <summary>Source-generated log messages of the metrics endpoint and tracing (event ids 4200-4249).</summary>
internal static partial class MetricsLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Metrics source {Source} failed during a scrape; its families are missing or partial on this page")]
    public static partial void SourceFailed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Exporting traces over OTLP/HTTP to {Endpoint}")]
    public static partial void ExportingTraces(ILogger logger, Uri endpoint);
}

using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Drift;

/// <summary>Log events of drift monitoring (ids 6300-6399).</summary>
internal static partial class DriftLog
{
    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Drift monitoring {Model} against {Path}: {Inputs} input and {Outputs} output features, {Rows} reference rows")]
    public static partial void ProfileLoaded(ILogger logger, string model, string path, int inputs, int outputs, long rows);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "Drift monitoring of {Model} is off: the profile {Path} cannot be used: {Reason}")]
    public static partial void ProfileInvalid(ILogger logger, string model, string path, string reason);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Information, Message = "Drift monitoring of {Model} stopped: {Path} is gone")]
    public static partial void ProfileRemoved(ILogger logger, string model, string path);

    [LoggerMessage(EventId = 6304, Level = LogLevel.Warning, Message = "Drift monitoring skipped a request ({Count} so far)")]
    public static partial void ObserveFailed(ILogger logger, long count, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Inferd.Core.Telemetry;

/// <summary>Log events of the repository and lifecycle (ids 1000-1099).</summary>
internal static partial class CoreLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Loading {Model} version {Version}")]
    public static partial void Loading(ILogger logger, string model, long version);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Model} version {Version} is READY")]
    public static partial void Ready(ILogger logger, string model, long version);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Failed to load {Model}: {Reason}")]
    public static partial void LoadFailed(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Unloading {Model} version {Version}; it is released when its last request finishes")]
    public static partial void Unloading(ILogger logger, string model, long version);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Released {Model} version {Version}")]
    public static partial void Released(ILogger logger, string model, long version);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Ignoring '{Entry}' in the model repository: {Reason}")]
    public static partial void Ignored(ILogger logger, string entry, string reason);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Poll found changes in {Model}; reloading")]
    public static partial void PollReload(ILogger logger, string model);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "Repository poll failed")]
    public static partial void PollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Warmed up {Model} version {Version}: {Runs} runs of {Samples} samples at batch sizes {BatchSizes}")]
    public static partial void WarmedUp(ILogger logger, string model, long version, int runs, int samples, string batchSizes);
}

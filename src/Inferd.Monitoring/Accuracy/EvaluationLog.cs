using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Accuracy;

/// <summary>Log events of live accuracy and fairness (ids 7600-7619).</summary>
internal static partial class EvaluationLog
{
    [LoggerMessage(EventId = 7601, Level = LogLevel.Warning, Message = "{Monitor} could not read the prediction log; the previous figures stay")]
    public static partial void RefreshFailed(ILogger logger, string monitor, Exception exception);
}

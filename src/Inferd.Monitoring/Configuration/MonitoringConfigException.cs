namespace Inferd.Monitoring.Configuration;

/// <summary>A model's <c>monitoring</c> section is not valid; the message names the field.</summary>
public sealed class MonitoringConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MonitoringConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public MonitoringConfigException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public MonitoringConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

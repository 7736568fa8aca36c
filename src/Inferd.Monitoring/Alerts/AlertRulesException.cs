namespace Inferd.Monitoring.Alerts;

/// <summary>The alerts file is not valid; the message names the field.</summary>
public sealed class AlertRulesException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AlertRulesException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AlertRulesException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public AlertRulesException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

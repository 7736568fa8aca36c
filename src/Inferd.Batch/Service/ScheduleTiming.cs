using Cronos;
using Inferd.Batch.Jobs;

namespace Inferd.Batch.Service;

/// <summary>When a schedule runs: every N seconds, or at the times of a five-field cron expression in UTC.</summary>
internal static class ScheduleTiming
{
    /// <summary>The longest interval accepted: a year, so the next run always fits in a date.</summary>
    public const long MaxIntervalSeconds = 366L * 24 * 3600;

    /// <summary>Checks that exactly one of the two is given and that it is valid.</summary>
    /// <exception cref="BatchJobException">Neither or both given, an interval out of range, or a bad cron expression.</exception>
    public static void Validate(long? intervalSeconds, string? cron, DateTimeOffset now)
    {
        if ((intervalSeconds is null) == (cron is null))
        {
            throw new BatchJobException("give exactly one of interval_seconds and cron");
        }

        if (intervalSeconds is < 1 or > MaxIntervalSeconds)
        {
            throw new BatchJobException($"interval_seconds must be between 1 and {MaxIntervalSeconds}");
        }

        if (cron is not null && Next(null, cron, now) is null)
        {
            throw new BatchJobException($"cron '{cron}' never fires");
        }
    }

    /// <summary>The first due time strictly after <paramref name="after"/>, or null when a cron expression never fires again.</summary>
    /// <exception cref="BatchJobException">The cron expression does not parse.</exception>
    public static DateTimeOffset? Next(long? intervalSeconds, string? cron, DateTimeOffset after)
    {
        if (intervalSeconds is { } seconds)
        {
            return after + TimeSpan.FromSeconds(seconds);
        }

        var expression = Parse(cron ?? throw new BatchJobException("give exactly one of interval_seconds and cron"));
        return expression.GetNextOccurrence(after.ToUniversalTime(), TimeZoneInfo.Utc, inclusive: false);
    }

    private static CronExpression Parse(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new BatchJobException($"cron '{cron}' has {fields.Length} fields; give five: minute hour day-of-month month day-of-week (UTC)");
        }

        try
        {
            return CronExpression.Parse(string.Join(' ', fields), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new BatchJobException($"cron '{cron}' is not valid: {e.Message}", e);
        }
    }
}

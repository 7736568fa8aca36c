using Inferd.Batch.Jobs;
using Inferd.Batch.Service;

namespace Inferd.Batch.Tests.Service;

/// <summary>Next due times of interval and cron schedules (UTC).</summary>
public sealed class ScheduleTimingTests
{
    private static readonly DateTimeOffset T0 = new(2030, 3, 10, 10, 7, 30, TimeSpan.Zero);

    [Fact]
    public void Next_Interval_AddsIntervalToNow()
    {
        Assert.Equal(T0.AddSeconds(90), ScheduleTiming.Next(90, null, T0));
    }

    [Theory]
    [InlineData("*/15 * * * *", "2030-03-10T10:15:00Z")]
    [InlineData("0 * * * *", "2030-03-10T11:00:00Z")]
    [InlineData("30 2 * * *", "2030-03-11T02:30:00Z")]
    [InlineData("0 0 1 * *", "2030-04-01T00:00:00Z")]
    [InlineData("0  9 * *  MON", "2030-03-11T09:00:00Z")]
    public void Next_Cron_IsNextMatchingMinuteInUtc(string cron, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ScheduleTiming.Next(null, cron, T0));
    }

    [Fact]
    public void Next_CronFromExactMatch_IsStrictlyLater()
    {
        var onTheHour = new DateTimeOffset(2030, 3, 10, 11, 0, 0, TimeSpan.Zero);

        Assert.Equal(onTheHour.AddHours(1), ScheduleTiming.Next(null, "0 * * * *", onTheHour));
    }

    [Fact]
    public void Next_FromOtherOffset_ComputesInUtc()
    {
        var local = new DateTimeOffset(2030, 3, 10, 12, 7, 30, TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2030, 3, 10, 11, 0, 0, TimeSpan.Zero), ScheduleTiming.Next(null, "0 * * * *", local));
    }

    [Theory]
    [InlineData(null, null, "exactly one")]
    [InlineData(60L, "* * * * *", "exactly one")]
    [InlineData(0L, null, "between 1 and")]
    [InlineData(-5L, null, "between 1 and")]
    [InlineData(null, "* * * *", "five")]
    [InlineData(null, "0 * * * * *", "five")]
    [InlineData(null, "61 * * * *", "not valid")]
    [InlineData(null, "0 0 30 2 *", "never fires")]
    public void Validate_BadTiming_ThrowsBatchJobException(long? interval, string? cron, string reason)
    {
        var error = Assert.Throws<BatchJobException>(() => ScheduleTiming.Validate(interval, cron, T0));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1L, null)]
    [InlineData(null, "*/5 * * * *")]
    public void Validate_GoodTiming_Passes(long? interval, string? cron)
    {
        ScheduleTiming.Validate(interval, cron, T0);
    }
}

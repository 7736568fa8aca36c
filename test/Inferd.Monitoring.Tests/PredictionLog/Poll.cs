using Inferd.Testing;

namespace Inferd.Monitoring.Tests.PredictionLog;

/// <summary>Waits for a condition another thread makes true, failing after the default test timeout.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"still waiting after {TestTimeouts.Default}: {what}");
            // A short pause between polls: the writer loop runs on its own, nothing here can signal it.
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
    }
}

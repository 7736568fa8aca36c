using System.Collections.Concurrent;
using System.Diagnostics;

namespace Inferd.Testing.Server;

/// <summary>
/// Records every span of the given sources that stops while it lives (an in-test <see cref="ActivityListener"/>).
/// Listeners are process-wide and tests run in parallel, so read spans by trace id: start the request under a trace
/// of the test's own.
/// </summary>
public sealed class SpanCollector : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly SemaphoreSlim _stopped = new(0);

    /// <summary>Listens to <paramref name="sources"/> and records all their spans.</summary>
    public SpanCollector(params string[] sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name, StringComparer.Ordinal),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span =>
            {
                _spans.Enqueue(span);
                _stopped.Release();
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The stopped spans of <paramref name="trace"/> so far.</summary>
    public IReadOnlyList<Activity> Of(ActivityTraceId trace) => _spans.Where(s => s.TraceId == trace).ToArray();

    /// <summary>
    /// Waits, bounded by <see cref="TestTimeouts.Default"/>, until spans named <paramref name="names"/> have all stopped in
    /// <paramref name="trace"/> (some end after the response: a batch finishes after it answers its requests).
    /// </summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(ActivityTraceId trace, params string[] names)
    {
        var deadline = DateTime.UtcNow + TestTimeouts.Default;
        while (true)
        {
            var spans = Of(trace);
            var missing = names.Where(n => spans.All(s => s.DisplayName != n)).ToArray();
            if (missing.Length == 0)
            {
                return spans;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _stopped.WaitAsync(left))
            {
                throw new TimeoutException($"spans {string.Join(", ", missing)} never stopped in trace {trace}; seen: {string.Join(", ", spans.Select(s => s.DisplayName))}");
            }
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _stopped.Dispose();
    }
}

using Inferd.Monitoring.Configuration;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// The live window of one model version against one profile, with its last report. A new profile or new drift
/// settings make a new instance, so the window restarts empty.
/// </summary>
internal sealed class MonitoredVersion(string model, string version, ReferenceProfile profile, DriftSettings settings)
{
    private Cached? _cached;

    public string Model { get; } = model;

    public string Version { get; } = version;

    public ReferenceProfile Profile { get; } = profile;

    public DriftSettings Settings { get; } = settings;

    public LiveWindow Window { get; } = new(profile, settings.Window);

    /// <summary>
    /// The report, computed again only when requests arrived since the last one and it is older than
    /// <paramref name="maxAge"/> (a scrape must not sort every window each time).
    /// </summary>
    public DriftReport Report(DateTimeOffset now, TimeSpan maxAge)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && (cached.Updates == Window.Updates || now - cached.At < maxAge))
        {
            return cached.Report;
        }

        var snapshot = Window.Snapshot();
        var report = DriftEvaluator.Evaluate(Model, Version, Profile, snapshot, Settings, Window.Capacity);
        Volatile.Write(ref _cached, new Cached(report, now, snapshot.Updates));
        return report;
    }

    private sealed record Cached(DriftReport Report, DateTimeOffset At, long Updates);
}

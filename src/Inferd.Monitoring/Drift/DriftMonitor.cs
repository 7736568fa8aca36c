using System.Collections.Concurrent;
using Inferd.Abstractions.Configuration;
using Inferd.Core.Inference;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Alerts;
using Inferd.Monitoring.Configuration;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// Watches every answered request of the models that have a reference profile: feeds their live windows (as an
/// <see cref="IInferenceObserver"/>), and reports drift on demand — to <c>GET v2/models/{m}/drift</c>, to
/// <c>/metrics</c> (<see cref="IMetricsSource"/>) and to the alert engine (<see cref="IAlertSignalSource"/>).
/// Observing never throws and never waits: a failure skips the request's drift update and is counted.
/// </summary>
internal sealed class DriftMonitor : IInferenceObserver, IMetricsSource, IAlertSignalSource
{
    /// <summary>How old a report a scrape or the alert engine may get: computing one sorts every numeric window.</summary>
    public static readonly TimeSpan ScrapeMaxAge = TimeSpan.FromSeconds(2);

    private readonly ProfileCache _profiles;
    private readonly ConcurrentDictionary<(string Model, string Version), MonitoredVersion> _versions = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _skipped;

    /// <summary>Creates a monitor over the models of <paramref name="repository"/>.</summary>
    public DriftMonitor(string repository, TimeProvider time, ILogger<DriftMonitor> logger)
    {
        _time = time;
        _logger = logger;
        _profiles = new ProfileCache(repository, time, logger);
    }

    /// <summary>Requests whose drift update failed (an invalid monitoring section, say).</summary>
    public long SkippedRequests => Interlocked.Read(ref _skipped);

    /// <inheritdoc />
    public ValueTask OnInferredAsync(InferenceObservation observation, CancellationToken cancellationToken)
    {
        try
        {
            Observe(observation);
        }
        catch (Exception e)
        {
            var count = Interlocked.Increment(ref _skipped);
            // The first failure, then one in 10,000: a broken section must not flood the log at the request rate.
            if (count == 1 || count % 10_000 == 0)
            {
                DriftLog.ObserveFailed(_logger, count, e);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The drift report of a model version, or null when the model has no reference profile. Reuses the last report
    /// while no request arrived since, or while it is younger than <paramref name="maxAge"/>.
    /// </summary>
    /// <exception cref="MonitoringConfigException">The model's monitoring section is invalid.</exception>
    public DriftReport? GetReport(ModelConfig config, string version, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = MonitoringConfigParser.Get(config.Monitoring).Drift;
        var profile = _profiles.Get(config.Name, settings.Profile);
        return profile is null ? null : Current(config.Name, version, profile, settings).Report(_time.GetUtcNow(), maxAge);
    }

    /// <summary>The reports of every monitored version whose profile is still current, by model and version.</summary>
    public IReadOnlyList<DriftReport> Reports()
    {
        var now = _time.GetUtcNow();
        return _versions.Values
            .Where(v => ReferenceEquals(_profiles.Peek(v.Model), v.Profile))
            .OrderBy(v => v.Model, StringComparer.Ordinal)
            .ThenBy(v => v.Version, StringComparer.Ordinal)
            .Select(v => v.Report(now, ScrapeMaxAge))
            .ToArray();
    }

    /// <inheritdoc />
    public void Collect(PrometheusWriter writer) => DriftMetrics.Write(writer, Reports(), SkippedRequests);

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertSignal>> ReadSignalsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(DriftSignals.From(Reports()));

    private void Observe(InferenceObservation observation)
    {
        var config = observation.Config;
        var settings = MonitoringConfigParser.Get(config.Monitoring).Drift;
        var profile = _profiles.Get(config.Name, settings.Profile);
        if (profile is null)
        {
            return;
        }

        var window = Current(config.Name, observation.Response.ModelVersion, profile, settings).Window;
        window.Add(FeatureExtractor.Extract(observation, window.InputTensors, window.OutputTensors));
    }

    private MonitoredVersion Current(string model, string version, ReferenceProfile profile, DriftSettings settings)
    {
        var key = (model, version);
        while (true)
        {
            if (_versions.TryGetValue(key, out var existing) && ReferenceEquals(existing.Profile, profile) && existing.Settings == settings)
            {
                return existing;
            }

            // A new profile or new settings start an empty window; racing requests agree on one instance.
            var fresh = new MonitoredVersion(model, version, profile, settings);
            if (existing is null ? _versions.TryAdd(key, fresh) : _versions.TryUpdate(key, fresh, existing))
            {
                return fresh;
            }
        }
    }
}

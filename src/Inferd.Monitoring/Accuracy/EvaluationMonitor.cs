using System.Collections.Immutable;
using Inferd.Core.Inference;
using Inferd.Monitoring.Configuration;
using Inferd.Monitoring.PredictionLog;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Accuracy;

/// <summary>
/// The refresh pattern shared by live accuracy and fairness: figures per model version computed from the prediction
/// log on a <see cref="TimeProvider"/> timer and on demand by the API, never on a scrape; readers (metrics, alert
/// signals) see an immutable snapshot swapped in after each refresh.
/// </summary>
/// <typeparam name="T">The figures of one version.</typeparam>
internal abstract class EvaluationMonitor<T> : IAsyncDisposable
    where T : class
{
    /// <summary>How often the timer refreshes every version; also how stale alert signals may be before a read refreshes them.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(15);

    private static readonly IComparer<(string Model, string Version)> KeyOrder = Comparer<(string Model, string Version)>.Create(static (a, b) =>
    {
        var byModel = string.CompareOrdinal(a.Model, b.Model);
        return byModel != 0 ? byModel : string.CompareOrdinal(a.Version, b.Version);
    });

    private readonly IInferenceService _inference;
    private readonly IPredictionLogStore? _store;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private ImmutableSortedDictionary<(string Model, string Version), T> _current = ImmutableSortedDictionary.Create<(string Model, string Version), T>(KeyOrder);
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private ITimer? _timer;
    private Task _timerRefresh = Task.CompletedTask;
    private int _refreshing;
    private int _disposed;

    /// <summary>Creates the monitor; <paramref name="store"/> is null when the prediction log is off.</summary>
    protected EvaluationMonitor(IInferenceService inference, IPredictionLogStore? store, TimeProvider time, ILogger logger)
    {
        _inference = inference;
        _store = store;
        Time = time;
        _logger = logger;
    }

    /// <summary>Whether the prediction log is on (without it there is nothing to evaluate).</summary>
    public bool LogEnabled => _store is not null;

    /// <summary>The figures of the last refresh, ordered by model and version.</summary>
    public IReadOnlyList<T> Current => [.. Volatile.Read(ref _current).Values];

    /// <summary>The clock.</summary>
    protected TimeProvider Time { get; }

    /// <summary>Starts the periodic refresh (does nothing without a log).</summary>
    public void Start()
    {
        if (_store is not null)
        {
            _timer ??= Time.CreateTimer(static state => ((EvaluationMonitor<T>)state!).OnTimer(), this, RefreshPeriod, RefreshPeriod);
        }
    }

    /// <summary>
    /// Recomputes the figures of the ready versions that have the section this monitor needs: all of them, one
    /// model's, or one version's. Returns what was computed (empty when the log is off).
    /// </summary>
    public async Task<IReadOnlyList<T>> RefreshAsync(string? model, string? version, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return [];
        }

        var results = new List<((string, string) Key, T Figures)>();
        foreach (var (name, ver, config) in MonitoredVersions.List(_inference, model, version))
        {
            if (Applies(config))
            {
                results.Add(((name, ver), await EvaluateAsync(_store, name, ver, config, cancellationToken).ConfigureAwait(false)));
            }
        }

        lock (_gate)
        {
            // A full refresh replaces everything (versions unloaded since drop out); a partial one replaces its scope.
            var builder = model is null ? ImmutableSortedDictionary.CreateBuilder<(string Model, string Version), T>(KeyOrder) : _current.ToBuilder();
            if (model is not null)
            {
                builder.RemoveRange(builder.Keys.Where(k => k.Model == model && (version is null || k.Version == version)).ToArray());
            }

            foreach (var (key, figures) in results)
            {
                builder[key] = figures;
            }

            Volatile.Write(ref _current, builder.ToImmutable());
            if (model is null)
            {
                _refreshedAt = Time.GetUtcNow();
            }
        }

        return results.ConvertAll(r => r.Figures);
    }

    /// <summary>The current figures, refreshed first when the last full refresh is older than <see cref="RefreshPeriod"/>.</summary>
    protected async Task<IReadOnlyList<T>> FreshAsync(CancellationToken cancellationToken)
    {
        if (_store is not null && Time.GetUtcNow() - _refreshedAt >= RefreshPeriod)
        {
            await RefreshAsync(null, null, cancellationToken).ConfigureAwait(false);
        }

        return Current;
    }

    /// <summary>Whether a version's monitoring section has what this monitor needs.</summary>
    protected abstract bool Applies(ModelMonitoringConfig config);

    /// <summary>Computes one version's figures from the log.</summary>
    protected abstract Task<T> EvaluateAsync(IPredictionLogStore store, string model, string version, ModelMonitoringConfig config, CancellationToken cancellationToken);

    /// <summary>Stops the timer and waits for a refresh in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        // Idempotent: the hosted service stops it on shutdown, then the container disposes it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _timerRefresh.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    private void OnTimer()
    {
        // One refresh at a time: a slow log query skips ticks instead of piling up.
        if (Interlocked.Exchange(ref _refreshing, 1) == 0)
        {
            _timerRefresh = TimerRefreshAsync();
        }
    }

    private async Task TimerRefreshAsync()
    {
        try
        {
            await RefreshAsync(null, null, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            EvaluationLog.RefreshFailed(_logger, GetType().Name, ex);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }
}

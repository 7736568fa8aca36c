using Inferd.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// Applies the retention settings on a timer (once at start, then every <see cref="Interval"/>): records older than
/// <see cref="MonitoringOptions.RetentionDays"/> go, then the oldest until the log fits
/// <see cref="MonitoringOptions.MaxLogMegabytes"/>. Each pass also measures the log for <c>/metrics</c>, so a scrape
/// never touches the database.
/// </summary>
internal sealed class PredictionLogRetention : IMetricsSource, IAsyncDisposable
{
    /// <summary>Time between passes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly IPredictionLogStore _store;
    private readonly MonitoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private ITimer? _timer;
    private PredictionLogSize? _size;
    private long _deleted;

    /// <summary>Retention over <paramref name="store"/> (already initialized when <see cref="Start"/> is called).</summary>
    public PredictionLogRetention(IPredictionLogStore store, MonitoringOptions options, TimeProvider time, ILogger logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The size measured by the last pass, or null before the first.</summary>
    public PredictionLogSize? LastSize => Volatile.Read(ref _size);

    /// <summary>Records deleted by retention since start.</summary>
    public long Deleted => Interlocked.Read(ref _deleted);

    /// <summary>Starts the timer; the first pass runs now, in the background.</summary>
    public void Start() => _timer ??= _time.CreateTimer(static s => _ = ((PredictionLogRetention)s!).RunOnceAsync(CancellationToken.None), this, TimeSpan.Zero, Interval);

    /// <summary>One pass; passes never overlap (a slow one makes the next timer tick a no-op). Never throws.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!await _pass.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            DateTimeOffset? cut = _options.RetentionDays > 0 ? _time.GetUtcNow() - TimeSpan.FromDays(_options.RetentionDays) : null;
            var deleted = await _store.ApplyRetentionAsync(cut, _options.MaxLogMegabytes << 20, cancellationToken).ConfigureAwait(false);
            var size = await _store.MeasureAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _deleted, deleted);
            Volatile.Write(ref _size, size);
            if (deleted > 0)
            {
                PredictionLogLog.Retained(_logger, deleted, size.Records, size.Bytes);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            PredictionLogLog.RetentionFailed(_logger, e);
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <inheritdoc />
    public void Collect(PrometheusWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (LastSize is not { } size)
        {
            return;
        }

        writer.Family("inferd_prediction_log_bytes", "gauge", "Size of the prediction log at the last retention pass (SQLite file and WAL, or the PostgreSQL table with indexes).");
        writer.Sample("inferd_prediction_log_bytes", size.Bytes);
        writer.Family("inferd_prediction_log_stored_records", "gauge", "Records in the prediction log at the last retention pass.");
        writer.Sample("inferd_prediction_log_stored_records", size.Records);
        writer.Family("inferd_prediction_log_retention_deleted_total", "counter", "Records deleted by retention (age or size).");
        writer.Sample("inferd_prediction_log_retention_deleted_total", Deleted);
    }

    /// <summary>Stops the timer and waits for a running pass.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_timer is { } timer)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        await _pass.WaitAsync().ConfigureAwait(false);
        _pass.Release();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Inferd.Core.Telemetry;
using Inferd.Monitoring.Configuration;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// The observer that logs every answered request. The observer call copies what is logged and queues it; one loop
/// writes the JSON and commits everything queued (up to <see cref="MaxBatch"/> records) in one transaction, so
/// concurrent requests share a commit.
/// Best-effort: a full queue drops the new record and counts it, never blocking. Durable: the request waits until
/// its record's transaction is committed with a flush; a store failure fails the request.
/// </summary>
internal sealed class PredictionLogWriter : IInferenceObserver, IMetricsSource, IAsyncDisposable
{
    /// <summary>Records per transaction at most: about 0.5-1 MB of tabular records, a few milliseconds to commit.</summary>
    public const int MaxBatch = 512;

    /// <summary>
    /// How long best-effort mode lets records gather before a commit. A commit has a fixed cost (BEGIN, a WAL frame
    /// per touched page, COMMIT): at 4 records per commit it cost more than the records themselves (the mlp-wide
    /// benchmark lost 46 % of its throughput; see bench/README.md). No request waits for it; the records a crash can
    /// lose grow by this window.
    /// </summary>
    public static readonly TimeSpan BestEffortLinger = TimeSpan.FromMilliseconds(20);

    /// <summary>The meta key of the generated hash key.</summary>
    public const string HashKeyMeta = "hash_key";

    private static readonly IReadOnlyList<double> CommitSeconds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

    private readonly IPredictionLogStore _store;
    private readonly MonitoringOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<Pending> _queue;
    private readonly bool _durable;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Counter> _written = new(StringComparer.Ordinal);
    private readonly Histogram _commitDuration = new(CommitSeconds);
    private readonly Histogram _batchSize = new(Histogram.BatchSizes);
    private RecordEncoder? _encoder;
    private Task _loop = Task.CompletedTask;
    private long _dropped;
    private long _errors;
    private int _warnedFull;
    private bool _stopping;

    /// <summary>A writer over <paramref name="store"/>; call <see cref="StartAsync"/> before traffic.</summary>
    public PredictionLogWriter(IPredictionLogStore store, MonitoringOptions options, ILogger logger, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _durable = options.PredictionLogMode == PredictionLogMode.Durable;
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.PredictionLogQueue)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The store records go to.</summary>
    public IPredictionLogStore Store => _store;

    /// <summary>Records dropped because the best-effort queue was full (or the writer had stopped).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records that could not be encoded or stored.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Records committed, all models.</summary>
    public long Written => _written.Values.Sum(b => Interlocked.Read(ref b.Value));

    /// <summary>Records per commit on average, 0 before the first.</summary>
    public double MeanBatchSize => _batchSize.Snapshot() is { Count: > 0 } s ? s.Sum / s.Count : 0;

    /// <summary>Records waiting in the queue.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Initializes the store, settles the hash key, and starts the commit loop. Records queued before wait for it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _encoder = new RecordEncoder(await ResolveHashKeyAsync(cancellationToken).ConfigureAwait(false));
        _loop = Task.Run(RunAsync, CancellationToken.None);
        var where = _store switch
        {
            SqlitePredictionLogStore sqlite => sqlite.Path,
            PostgresPredictionLogStore postgres => postgres.Description,
            _ => _store.GetType().Name,
        };
        PredictionLogLog.Opened(_logger, _store.Kind, where, _durable ? "durable" : "best-effort");
    }

    /// <inheritdoc />
    public bool NeedsRequestId => true;

    /// <inheritdoc />
    public ValueTask OnInferredAsync(InferenceObservation observation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        CapturedPrediction? record;
        try
        {
            // Only a copy of the bytes here; the JSON is written on the writer's thread.
            record = RecordEncoder.Capture(observation);
        }
        catch (MonitoringConfigException e)
        {
            Interlocked.Increment(ref _errors);
            PredictionLogLog.BadConfig(_logger, observation.Response.ModelName, e.Message);
            return _durable
                ? ValueTask.FromException(Unavailable("the request could not be logged: " + e.Message, e))
                : ValueTask.CompletedTask;
        }

        if (record is null)
        {
            return ValueTask.CompletedTask;
        }

        if (!_durable)
        {
            if (!_queue.Writer.TryWrite(new Pending(record, null)))
            {
                Interlocked.Increment(ref _dropped);
                if (Interlocked.Exchange(ref _warnedFull, 1) == 0)
                {
                    PredictionLogLog.QueueFull(_logger, _options.PredictionLogQueue);
                }
            }

            return ValueTask.CompletedTask;
        }

        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new Pending(record, committed);
        return _queue.Writer.TryWrite(pending) ? new ValueTask(committed.Task.WaitAsync(cancellationToken)) : EnqueueSlowAsync(pending, cancellationToken);
    }

    /// <inheritdoc />
    public void Collect(PrometheusWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Family("inferd_prediction_log_records_total", "counter", "Prediction log records committed, by model.");
        foreach (var (model, count) in _written)
        {
            writer.Sample("inferd_prediction_log_records_total", Interlocked.Read(ref count.Value), ("model", model));
        }

        writer.Family("inferd_prediction_log_dropped_total", "counter", "Records dropped because the best-effort queue was full.");
        writer.Sample("inferd_prediction_log_dropped_total", Dropped);
        writer.Family("inferd_prediction_log_errors_total", "counter", "Records that could not be encoded or stored.");
        writer.Sample("inferd_prediction_log_errors_total", Errors);
        writer.Family("inferd_prediction_log_queue_depth", "gauge", "Records waiting to be committed.");
        writer.Sample("inferd_prediction_log_queue_depth", QueueDepth);
        writer.Family("inferd_prediction_log_commit_duration_seconds", "histogram", "Time to commit one batch of records.");
        writer.Histogram("inferd_prediction_log_commit_duration_seconds", _commitDuration.Snapshot());
        writer.Family("inferd_prediction_log_commit_batch_size", "histogram", "Records per commit.");
        writer.Histogram("inferd_prediction_log_commit_batch_size", _batchSize.Snapshot());
    }

    /// <summary>Stops taking records and waits until everything queued is committed (or <paramref name="cancellationToken"/> fires).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopping, true);
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drains the queue; the store is disposed by its owner.</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _stopping, true);
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async ValueTask EnqueueSlowAsync(Pending pending, CancellationToken cancellationToken)
    {
        try
        {
            // Durable mode waits for room: backpressure instead of loss.
            await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw Unavailable("the server is shutting down; the request was not logged", e);
        }

        await pending.Committed!.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        var records = new List<PredictionRecord>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (!_durable && reader.Count < MaxBatch && !Volatile.Read(ref _stopping))
            {
                // Durable requests wait for their commit, so only best-effort lingers; the writer completing at
                // shutdown skips it (the drain must be prompt).
                await Task.Delay(BestEffortLinger, _time).ConfigureAwait(false);
            }

            batch.Clear();
            records.Clear();
            var encoder = _encoder!;
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                records.Add(encoder.Encode(pending.Record));
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await _store.AppendAsync(records, _durable, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Interlocked.Add(ref _errors, batch.Count);
                PredictionLogLog.AppendFailed(_logger, batch.Count, e);
                var failure = Unavailable("the prediction log could not store the request, so the response is withheld (durable mode); the server log has the cause", e);
                foreach (var p in batch)
                {
                    p.Committed?.TrySetException(failure);
                }

                continue;
            }

            _commitDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
            _batchSize.Observe(batch.Count);
            foreach (var p in batch)
            {
                Interlocked.Increment(ref _written.GetOrAdd(p.Record.Model, static _ => new Counter()).Value);
                p.Committed?.TrySetResult();
            }

            Volatile.Write(ref _warnedFull, 0);
        }
    }

    private async Task<byte[]> ResolveHashKeyAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(_options.HashKey))
        {
            return Encoding.UTF8.GetBytes(_options.HashKey);
        }

        var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (_store is not IPredictionLogMeta meta)
        {
            return Convert.FromHexString(fresh);
        }

        // Kept with the records, so hashes written before a restart still match new ones.
        PredictionLogLog.StoredHashKey(_logger);
        return Convert.FromHexString(await meta.GetOrAddMetaAsync(HashKeyMeta, fresh, cancellationToken).ConfigureAwait(false));
    }

    private static InferenceException Unavailable(string message, Exception inner) =>
        new(InferenceErrorKind.ModelNotReady, message.Length > InferenceException.MaxMessageLength ? message[..(InferenceException.MaxMessageLength - 3)] + "..." : message, inner);

    private sealed record Pending(CapturedPrediction Record, TaskCompletionSource? Committed);

    private sealed class Counter
    {
        public long Value;
    }
}

using System.Collections.Concurrent;
using System.Threading.Channels;
using Inferd.Batch.Jobs;
using Inferd.Core.Inference;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Inferd.Batch.Service;

/// <summary>
/// The server's batch jobs: accepts jobs over paths inside the data folder, keeps them in SQLite, and runs queued
/// jobs on <see cref="BatchJobManagerOptions.MaxConcurrentJobs"/> workers in submission order. A job left queued or
/// running by a stopped (or crashed) process is run again at the next start; the runner's manifest skips the shards
/// it had committed, so each output row is written once.
/// </summary>
public sealed class BatchJobManager : IAsyncDisposable
{
    /// <summary>Most jobs one list answer holds.</summary>
    public const int MaxListLimit = 1000;

    private readonly BatchJobManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DataFolder _folder;
    private readonly JobStore _store;
    private readonly JobExecution _execution;
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _workers = [];
    private int _started;
    private int _disposed;

    private BatchJobManager(BatchJobManagerOptions options, IInferenceService service, TimeProvider time, ILogger logger, DataFolder folder, JobStore store)
    {
        _options = options;
        Checks = new JobChecks(folder, service);
        _time = time;
        _logger = logger;
        _folder = folder;
        _store = store;
        _execution = new JobExecution(store, folder, service, time, options.ProgressInterval, logger);
        Schedules = new JobScheduler(this, store.Schedules, folder, time, options.MinFileAge, logger);
    }

    /// <summary>The schedules that submit jobs over newly arrived files.</summary>
    public JobScheduler Schedules { get; }

    /// <summary>The checks every submitted job passes.</summary>
    internal JobChecks Checks { get; }

    /// <summary>The data folder's full path.</summary>
    public string DataDirectory => _folder.Root;

    /// <summary>The database file's full path.</summary>
    public string DatabasePath => _store.Path;

    /// <summary>Opens the data folder and the database (creating it when missing). Nothing runs until <see cref="StartAsync"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The data folder does not exist.</exception>
    public static BatchJobManager Create(BatchJobManagerOptions options, IInferenceService service, TimeProvider time, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentJobs, 1);
        var folder = new DataFolder(options.DataDirectory);
        var store = JobStore.Open(options.EffectiveDatabasePath);
        return new BatchJobManager(options, service, time, logger ?? NullLogger.Instance, folder, store);
    }

    /// <summary>Requeues jobs a previous process left running, starts the workers and the schedule timer.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return Task.CompletedTask;
        }

        var requeued = _store.RequeueInterrupted("the server stopped while it ran; resumed from its last committed shard");
        foreach (var id in _store.QueuedIds())
        {
            // Submissions before the start are already in the channel; a duplicate fails its claim and is skipped.
            _queue.Writer.TryWrite(id);
        }

        _workers = Enumerable.Range(0, _options.MaxConcurrentJobs).Select(_ => Task.Run(WorkAsync, CancellationToken.None)).ToArray();
        Schedules.Start();
        ServiceLog.Started(_logger, _folder.Root, _options.MaxConcurrentJobs, requeued);
        return Task.CompletedTask;
    }

    /// <summary>Stops the schedule timer and the workers; running jobs go back to the queue for the next start.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Schedules.Stop();
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _queue.Writer.TryComplete();
        await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates and queues a job.</summary>
    /// <exception cref="BatchJobException">A field or path is invalid (HTTP 400).</exception>
    /// <exception cref="BatchServiceException">The model is unknown (<see cref="BatchServiceError.NotFound"/>).</exception>
    public JobInfo Submit(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        JobValidation.CheckFields(request);
        var (input, output) = Checks.ResolvePaths(request.Input, request.Output, inputIsFolder: false);
        Checks.CheckModel(request.Model, request.Version);
        var now = _time.GetUtcNow();
        var job = new JobInfo
        {
            Id = JobIds.New(now),
            Model = request.Model,
            Version = request.Version,
            Input = input.Relative,
            Output = output.Relative,
            State = JobState.Queued,
            Created = now,
        };
        return Enqueue(job, request.ToSpec([input.Relative], output.Relative), files: null);
    }

    /// <summary>The job, or null when there is none with that id.</summary>
    public JobInfo? Get(string id) => JobIds.IsWellFormed(id) ? _store.Get(id) : null;

    /// <summary>Jobs newest first, optionally only those in <paramref name="state"/>.</summary>
    /// <exception cref="BatchJobException"><paramref name="limit"/> is out of range.</exception>
    public IReadOnlyList<JobInfo> List(JobState? state, int limit)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            throw new BatchJobException($"limit must be between 1 and {MaxListLimit}");
        }

        return _store.List(state, limit);
    }

    /// <summary>
    /// Cancels a job: a queued one at once; a running one by cancelling its run, waiting up to
    /// <paramref name="wait"/> for it to stop (committed shards stay in the output).
    /// </summary>
    /// <returns>The job after the cancellation (still <c>running</c> when it did not stop within the wait).</returns>
    /// <exception cref="BatchServiceException">No such job, or it had finished already (<see cref="BatchServiceError.Conflict"/>).</exception>
    public async Task<JobInfo> CancelAsync(string id, TimeSpan wait, CancellationToken cancellationToken)
    {
        RunningJob? run;
        lock (_gate)
        {
            if (!_running.TryGetValue(id, out run))
            {
                var job = Get(id) ?? throw NotFound(id);
                if (job.State == JobState.Queued && _store.Finish(id, JobState.Cancelled, _time.GetUtcNow(), "cancelled before it started"))
                {
                    return _store.Get(id)!;
                }

                throw new BatchServiceException(BatchServiceError.Conflict, $"job {id} has already {FinishedVerb(job.State)}");
            }
        }

        // Outside the lock: cancellation callbacks run on this thread.
        run.Cancel();
        try
        {
            await run.Ended.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still stopping; the answer shows it running and a later read shows it cancelled.
        }

        return _store.Get(id) ?? throw NotFound(id);
    }

    /// <summary>Stops (as <see cref="StopAsync"/>) and closes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        Schedules.Dispose();
        _store.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Stores a validated job and hands it to the workers; with <paramref name="files"/>, a schedule's.</summary>
    internal JobInfo Enqueue(JobInfo job, BatchJobSpec spec, IReadOnlyList<ScheduleFile>? files)
    {
        _store.Insert(job, spec, files);
        // After a stop the channel is closed: the job stays queued in the store and runs at the next start.
        _queue.Writer.TryWrite(job.Id);
        ServiceLog.Queued(_logger, job.Id, job.Model, job.Output);
        return job;
    }

    private static BatchServiceException NotFound(string id) => new(BatchServiceError.NotFound, $"no job '{(id.Length > 64 ? id[..64] + "..." : id)}'");

    private static string FinishedVerb(JobState state) => state switch
    {
        JobState.Completed => "completed",
        JobState.Failed => "failed",
        JobState.Cancelled => "been cancelled",
        _ => "finished",
    };

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var id in _queue.Reader.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
            {
                await RunOneAsync(id).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: queued jobs stay queued in the store.
        }
    }

    private async Task RunOneAsync(string id)
    {
        RunningJob run;
        lock (_gate)
        {
            // Claim and register under the lock, so a cancel sees the job either queued or running with a token.
            if (_stopping.IsCancellationRequested || !_store.TryClaim(id, _time.GetUtcNow()))
            {
                return;
            }

            run = new RunningJob(_stopping.Token);
            _running[id] = run;
        }

        try
        {
            await _execution.RunAsync(id, run).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Only the store can throw here (a full disk, a locked file); the worker lives on for the next job.
            ServiceLog.WorkerError(_logger, id, e);
        }
        finally
        {
            _running.TryRemove(id, out _);
            run.End();
            run.Dispose();
        }
    }
}

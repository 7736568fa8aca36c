using System.Globalization;
using Inferd.Batch.Jobs;
using Microsoft.Extensions.Logging;

namespace Inferd.Batch.Service;

/// <summary>
/// Schedules: each due time (an interval or a cron expression, in UTC) submits one job over the files that arrived in
/// the schedule's input folder since its earlier jobs took theirs. Files count as done only when their job completes,
/// so the files of a failed or cancelled job are taken again by the next run. Due times are driven by a
/// <see cref="TimeProvider"/> timer; <see cref="RunDue"/> is the same step, callable directly.
/// </summary>
public sealed class JobScheduler : IDisposable
{
    /// <summary>Longest sleep of the timer: due times are re-read at least this often, in case the clock jumped.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly BatchJobManager _jobs;
    private readonly ScheduleStore _store;
    private readonly DataFolder _folder;
    private readonly TimeProvider _time;
    private readonly TimeSpan _minFileAge;
    private readonly ILogger _logger;
    private readonly Lock _runGate = new();
    private readonly Lock _timerGate = new();
    private ITimer? _timer;

    internal JobScheduler(BatchJobManager jobs, ScheduleStore store, DataFolder folder, TimeProvider time, TimeSpan minFileAge, ILogger logger)
    {
        _jobs = jobs;
        _store = store;
        _folder = folder;
        _time = time;
        _minFileAge = minFileAge;
        _logger = logger;
    }

    /// <summary>Validates and stores a schedule; its first run is one interval (or the next cron time) from now.</summary>
    /// <exception cref="BatchJobException">A field or path is invalid.</exception>
    /// <exception cref="BatchServiceException">The model is unknown, or the name is taken (<see cref="BatchServiceError.Conflict"/>).</exception>
    public ScheduleInfo Add(ScheduleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckName(request.Name);
        JobValidation.CheckFields(request.Template);
        var now = _time.GetUtcNow();
        ScheduleTiming.Validate(request.IntervalSeconds, request.Cron, now);
        var (input, output) = _jobs.Checks.ResolvePaths(request.Template.Input, request.Template.Output, inputIsFolder: true);
        if (Data.BatchFormats.ByExtension(output.Relative) is not null)
        {
            throw new BatchJobException($"a schedule's output is a folder (each run writes a new folder in it), not a file like '{output.Relative}'");
        }

        _jobs.Checks.CheckModel(request.Template.Model, request.Template.Version);
        var schedule = new ScheduleInfo
        {
            Name = request.Name,
            Template = request.Template with { Input = input.Relative, Output = output.Relative },
            IntervalSeconds = request.IntervalSeconds,
            Cron = request.Cron?.Trim(),
            NextRun = ScheduleTiming.Next(request.IntervalSeconds, request.Cron, now)!.Value,
            Created = now,
        };
        if (!_store.Insert(schedule))
        {
            throw new BatchServiceException(BatchServiceError.Conflict, $"a schedule named '{request.Name}' exists; delete it first");
        }

        Rearm();
        return schedule;
    }

    /// <summary>Every schedule, by name.</summary>
    public IReadOnlyList<ScheduleInfo> List() => _store.List();

    /// <summary>The schedule.</summary>
    /// <exception cref="BatchServiceException">There is none by that name.</exception>
    public ScheduleInfo Get(string name) => _store.Get(name) ?? throw NotFound(name);

    /// <summary>Deletes a schedule and its record of files; jobs it submitted stay.</summary>
    /// <exception cref="BatchServiceException">There is none by that name.</exception>
    public void Delete(string name)
    {
        if (!_store.Delete(name))
        {
            throw NotFound(name);
        }

        Rearm();
    }

    /// <summary>Runs a schedule now, whatever its due time (which stays).</summary>
    /// <returns>The job submitted, or null when no file is new.</returns>
    /// <exception cref="BatchServiceException">There is none by that name.</exception>
    /// <exception cref="BatchJobException">Its input folder is gone or its paths no longer resolve.</exception>
    public JobInfo? RunNow(string name)
    {
        lock (_runGate)
        {
            var schedule = Get(name);
            var now = _time.GetUtcNow();
            var job = Trigger(schedule, now);
            _store.SetRun(name, now, nextRun: null);
            return job;
        }
    }

    /// <summary>Runs every enabled schedule whose due time has come, and sets each one's next due time.</summary>
    /// <returns>The jobs submitted.</returns>
    public IReadOnlyList<JobInfo> RunDue()
    {
        var submitted = new List<JobInfo>();
        lock (_runGate)
        {
            var now = _time.GetUtcNow();
            foreach (var schedule in _store.List())
            {
                if (!schedule.Enabled || schedule.NextRun > now)
                {
                    continue;
                }

                try
                {
                    if (Trigger(schedule, now) is { } job)
                    {
                        submitted.Add(job);
                    }
                }
                catch (Exception e) when (e is BatchJobException or BatchServiceException or IOException or UnauthorizedAccessException)
                {
                    ServiceLog.ScheduleFailed(_logger, schedule.Name, _folder.Redact(e.Message));
                }

                // From now, not from the missed due time: a server that was down runs each schedule once, not once per miss.
                var next = ScheduleTiming.Next(schedule.IntervalSeconds, schedule.Cron, now) ?? DateTimeOffset.MaxValue;
                _store.SetRun(schedule.Name, now, next);
            }
        }

        return submitted;
    }

    /// <summary>Stops the timer.</summary>
    public void Dispose() => Stop();

    /// <summary>Starts the timer that calls <see cref="RunDue"/> at due times.</summary>
    internal void Start()
    {
        lock (_timerGate)
        {
            _timer ??= _time.CreateTimer(static s => ((JobScheduler)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        Rearm();
    }

    /// <summary>Stops the timer.</summary>
    internal void Stop()
    {
        lock (_timerGate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private JobInfo? Trigger(ScheduleInfo schedule, DateTimeOffset now)
    {
        var template = schedule.Template;
        var input = _folder.Resolve(template.Input);
        var names = new HashSet<string>(StringComparer.Ordinal);
        // The runner keys the rows of a listed file by its file name, so two files of one name (in different
        // subfolders) would clash in one job: the second waits for the next run.
        var files = ScheduleFileSelector.Select(_folder, input, _store.TakenFiles(schedule.Name), now, _minFileAge)
            .Where(f => names.Add(Path.GetFileName(f.Path)))
            .ToArray();
        if (files.Length == 0)
        {
            return null;
        }

        var id = JobIds.New(now);
        // A new folder per run: runs never share a manifest, and the folder names sort by time.
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var output = _folder.Resolve($"{template.Output}/{stamp}-{id}").Relative;
        var job = new JobInfo
        {
            Id = id,
            Model = template.Model,
            Version = template.Version,
            Input = template.Input,
            Output = output,
            State = JobState.Queued,
            Created = now,
            Schedule = schedule.Name,
        };
        var spec = template.ToSpec(files.Select(f => f.Path).ToArray(), output);
        _jobs.Enqueue(job, spec, files);
        ServiceLog.ScheduleSubmitted(_logger, schedule.Name, id, files.Length);
        return job;
    }

    private void OnTimer()
    {
        try
        {
            RunDue();
        }
        catch (Exception e)
        {
            // A timer callback must not throw; the next due time tries again.
            ServiceLog.TimerError(_logger, e);
        }

        Rearm();
    }

    private void Rearm()
    {
        lock (_timerGate)
        {
            if (_timer is null)
            {
                return;
            }

            var next = _store.List().Where(s => s.Enabled).Select(s => (DateTimeOffset?)s.NextRun).Min();
            var delay = next is { } due ? due - _time.GetUtcNow() : MaxSleep;
            _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxSleep ? MaxSleep : delay, Timeout.InfiniteTimeSpan);
        }
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || name[0] == '.'
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new BatchJobException("'name' must be 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'");
        }
    }

    private static BatchServiceException NotFound(string name) => new(BatchServiceError.NotFound, $"no schedule '{name}'");
}

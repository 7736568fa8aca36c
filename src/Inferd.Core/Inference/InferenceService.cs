using System.Diagnostics;
using System.Reflection;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Caching;
using Inferd.Core.Lifecycle;
using Inferd.Core.Scheduling;
using Inferd.Core.Repository;
using Inferd.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Inferd.Core.Inference;

/// <summary>The facade every protocol calls. Owns the model manager.</summary>
public sealed class InferenceService : IInferenceService, IAsyncDisposable
{
    /// <summary>Extensions that work end to end; a test checks each against the mapped routes.</summary>
    public static readonly IReadOnlyList<string> Extensions =
    [
        "binary_tensor_data",
        "classification",
        "model_repository",
        "model_repository(unload_dependents)",
        "model_configuration",
        "parameters",
        "schedule_policy",
        "statistics",
    ];

    private readonly ModelManager _manager;
    private readonly RequestLimits _limits;
    private readonly TimeProvider _time;
    private readonly string _version;
    private readonly ResponseCache? _cache;
    private readonly RepositoryScanner _scanner;
    private readonly IInferenceObserver[] _observers;
    private readonly bool _assignRequestIds;
    private int _disposed;

    /// <summary>Creates the facade; call <see cref="StartAsync"/> to load models.</summary>
    public InferenceService(ModelRepositoryOptions options, IModelBackend backend, RequestLimits limits, TimeProvider time, ILogger<InferenceService> logger, InferenceOptions? inferenceOptions = null)
    {
        var settings = inferenceOptions ?? InferenceOptions.Default;
        var cacheBytes = settings.ResponseCacheBytes;
        _observers = [.. settings.Observers];
        _assignRequestIds = _observers.Any(o => o.NeedsRequestId);
        _cache = cacheBytes > 0 ? new ResponseCache(cacheBytes) : null;
        _manager = new ModelManager(options, backend, time, logger);
        _scanner = new RepositoryScanner(options.Root);
        (backend as IFacadeAwareBackend)?.AttachFacade(this);
        _limits = limits;
        _time = time;
        _version = typeof(InferenceService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
    }

    /// <summary>Request limits in force.</summary>
    public RequestLimits Limits => _limits;

    /// <inheritdoc />
    public bool IsLive { get; private set; } = true;

    /// <inheritdoc />
    public bool IsReady => IsLive && _manager.IsReady;

    /// <summary>Loads the models the control mode says to load.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => _manager.StartAsync(cancellationToken);

    /// <summary>Runs one poll pass now (poll mode does this on its timer).</summary>
    public Task PollNowAsync(CancellationToken cancellationToken) => _manager.PollOnceAsync(cancellationToken);

    /// <inheritdoc />
    public ServerMetadata GetServerMetadata() => new("inferd", _version, Extensions);

    /// <inheritdoc />
    public bool IsModelReady(string modelName, string? version)
    {
        if (!RepositoryPaths.IsValidModelName(modelName))
        {
            return false;
        }

        try
        {
            _manager.Acquire(modelName, version).Release();
            return true;
        }
        catch (InferenceException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public ModelMetadata GetModelMetadata(string modelName, string? version)
    {
        var loaded = _manager.Acquire(modelName, version);
        try
        {
            var config = loaded.Config;
            var versions = string.IsNullOrEmpty(version)
                ? _manager.ReadyVersions(modelName).Select(v => v.VersionText).ToArray()
                : [loaded.VersionText];
            return new ModelMetadata(modelName, versions, config.Platform, Signatures(config.Inputs, config.MaxBatchSize), Signatures(config.Outputs, config.MaxBatchSize));
        }
        finally
        {
            loaded.Release();
        }
    }

    /// <inheritdoc />
    public ModelConfig GetModelConfig(string modelName, string? version)
    {
        var loaded = _manager.Acquire(modelName, version);
        try
        {
            return loaded.Config;
        }
        finally
        {
            loaded.Release();
        }
    }

    /// <inheritdoc />
    public ModelCard GetModelCard(string modelName)
    {
        string? markdown;
        try
        {
            markdown = _scanner.ReadCard(modelName);
        }
        catch (Exception ex) when (ex is ModelConfigException or IOException or UnauthorizedAccessException)
        {
            // An oversized or unreadable card is the operator's problem; the reason goes to the log, not the client.
            throw new InferenceException(InferenceErrorKind.Internal, $"cannot read the card of model '{modelName}': {ex.Message}", ex);
        }

        if (markdown is null)
        {
            throw InferenceException.NotFound($"model '{modelName}' has no card");
        }

        return new ModelCard(modelName, markdown, ModelCardParser.ParseMetrics(markdown));
    }

    /// <inheritdoc />
    public async Task<InferenceResponse> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = InferdTelemetry.Source.StartActivity(InferdTelemetry.InferSpan);
        LoadedVersion loaded;
        try
        {
            loaded = _manager.Acquire(request.ModelName, request.ModelVersion);
        }
        catch (Exception ex) when (InferSpan.Failed(span, ex))
        {
            throw;
        }

        InferSpan.Describe(span, request, loaded.VersionText);
        try
        {
            var config = loaded.Config;
            long batch;
            long priority;
            long timeout;
            try
            {
                batch = RequestValidator.Validate(request, config, _limits);
                (priority, timeout) = ReadSchedulingParameters(request.Parameters);
                if (request.Background)
                {
                    priority = ModelScheduler.BackgroundPriority;
                }
            }
            catch (InferenceException)
            {
                loaded.Statistics.RecordFailure(FailureReason.Rejected, ElapsedNs(started), NowMs());
                throw;
            }

            var outputNames = loaded.OutputNames;
            RequestedOutput?[] requested;
            if (request.Outputs.Count > 0)
            {
                outputNames = new string[request.Outputs.Count];
                requested = new RequestedOutput?[request.Outputs.Count];
                for (var i = 0; i < requested.Length; i++)
                {
                    requested[i] = request.Outputs[i];
                    outputNames[i] = request.Outputs[i].Name;
                }
            }
            else
            {
                requested = new RequestedOutput?[outputNames.Length];
            }
            UInt128 cacheKey = default;
            long missNs = 0;
            var cache = config.ResponseCacheEnabled ? _cache : null;
            if (cache is not null)
            {
                var lookup = Stopwatch.GetTimestamp();
                cacheKey = ResponseCache.Key(request.ModelName, loaded.VersionText, request.Inputs, outputNames, requested);
                if (cache.TryGet(cacheKey, out var cached))
                {
                    loaded.Statistics.RecordCacheHit(ElapsedNs(started), ElapsedNs(lookup), NowMs());
                    var hit = new InferenceResponse(request.ModelName, loaded.VersionText, request.Id, cached, requested);
                    return _observers.Length == 0 || request.Background ? hit : await ObserveAsync(request, hit, config, started, fromCache: true, cancellationToken).ConfigureAwait(false);
                }

                missNs = ElapsedNs(lookup);
            }

            Task<ScheduledResult> scheduled;
            try
            {
                scheduled = loaded.Scheduler.ScheduleAsync(request.Inputs, outputNames, batch, priority, timeout, cancellationToken);
            }
            catch (InferenceException ex)
            {
                loaded.Statistics.RecordFailure(ex.Kind == InferenceErrorKind.Cancelled ? FailureReason.Cancelled : FailureReason.Rejected, ElapsedNs(started), NowMs());
                throw;
            }

            // Failures after this point are counted by the scheduler, which knows their reason.
            var result = await scheduled.ConfigureAwait(false);
            var outputs = result.Outputs;
            var final = new InferenceTensor[outputs.Count];
            for (var i = 0; i < outputs.Count; i++)
            {
                final[i] = outputs[i];
                if (requested[i] is { ClassificationCount: > 0 } r)
                {
                    final[i] = Classifier.Apply(outputs[i], r.ClassificationCount, loaded.Labels.GetValueOrDefault(outputs[i].Name), config.MaxBatchSize > 0);
                }
            }

            if (cache is not null)
            {
                var insert = Stopwatch.GetTimestamp();
                cache.Add(cacheKey, ResponseCache.Compact(final));
                loaded.Statistics.RecordCacheMiss(missNs + ElapsedNs(insert));
            }

            loaded.Statistics.RecordSuccess(ElapsedNs(started), result.QueueNs, result.ComputeInputNs, result.ComputeInferNs, result.ComputeOutputNs);
            var response = new InferenceResponse(request.ModelName, loaded.VersionText, request.Id, final, requested);
            return _observers.Length == 0 || request.Background ? response : await ObserveAsync(request, response, config, started, fromCache: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (InferSpan.Failed(span, ex))
        {
            throw;
        }
        finally
        {
            loaded.Release();
        }
    }

    /// <summary>
    /// The per-model counters, histograms and queue depths of every ready version, for <c>/metrics</c>, under
    /// <paramref name="naming"/>'s names (docs/metrics.md). Cheap to call; the source reads live state on each scrape.
    /// </summary>
    public IMetricsSource CreateMetricsSource(MetricsNaming naming) => new InferenceMetrics(_manager.AllReady, naming);

    /// <inheritdoc />
    public IReadOnlyList<ModelStatistics> GetStatistics(string? modelName, string? version)
    {
        if (string.IsNullOrEmpty(modelName))
        {
            return _manager.AllReady().Select(v => v.Snapshot()).ToArray();
        }

        if (!string.IsNullOrEmpty(version))
        {
            var loaded = _manager.Acquire(modelName, version);
            try
            {
                return [loaded.Snapshot()];
            }
            finally
            {
                loaded.Release();
            }
        }

        RepositoryPaths.ValidateModelName(modelName);
        var versions = _manager.ReadyVersions(modelName);
        if (versions.Count == 0)
        {
            throw InferenceException.NotFound(_manager.IsKnown(modelName) ? $"model '{modelName}' has no ready version" : $"unknown model '{modelName}'");
        }

        return versions.Select(v => v.Snapshot()).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<RepositoryIndexEntry> GetRepositoryIndex(bool readyOnly) => _manager.Index(readyOnly);

    /// <inheritdoc />
    public Task LoadModelAsync(string modelName, IReadOnlyDictionary<string, ParameterValue> parameters, CancellationToken cancellationToken)
    {
        RepositoryPaths.ValidateModelName(modelName);
        RequireExplicitControl();
        string? configOverride = null;
        foreach (var (key, value) in parameters)
        {
            if (key.StartsWith("file:", StringComparison.Ordinal))
            {
                // Writing client bytes under a client-chosen path is how CVE-2023-31036 happened.
                throw InferenceException.Invalid("file parameters are not supported; put model files in the repository");
            }

            if (key == "config")
            {
                configOverride = value.Kind == ParameterKind.String ? value.String : throw InferenceException.Invalid("parameter 'config' must be a string holding the model config as JSON");
            }
        }

        return _manager.LoadAsync(modelName, configOverride, cancellationToken);
    }

    /// <inheritdoc />
    public Task UnloadModelAsync(string modelName, IReadOnlyDictionary<string, ParameterValue> parameters, CancellationToken cancellationToken)
    {
        RepositoryPaths.ValidateModelName(modelName);
        RequireExplicitControl();
        if (parameters.TryGetValue("unload_dependents", out var dependents) && !dependents.TryGetBool(out _))
        {
            throw InferenceException.Invalid("parameter 'unload_dependents' must be a boolean");
        }

        return _manager.UnloadAsync(modelName, cancellationToken);
    }

    /// <summary>Stops serving: readiness goes false, then models are released.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        IsLive = false;
        await _manager.DisposeAsync().ConfigureAwait(false);
    }

    private async ValueTask<InferenceResponse> ObserveAsync(InferenceRequest request, InferenceResponse response, ModelConfig config, long started, bool fromCache, CancellationToken cancellationToken)
    {
        // Feedback and deletion requests name a request by id, so a request without one gets a server-made id,
        // returned in the response's id field (only when an observer needs ids). Version 7 ids grow with time, so
        // the prediction log's unique index appends instead of inserting at random: 16 µs instead of 27-44 µs per
        // SQLite record (bench/README.md).
        if (_assignRequestIds && string.IsNullOrEmpty(response.Id))
        {
            response = response with { Id = Guid.CreateVersion7().ToString("N") };
        }

        var observation = new InferenceObservation(request, response, config, response.Id ?? "", ElapsedNs(started), _time.GetUtcNow(), fromCache);
        foreach (var observer in _observers)
        {
            await observer.OnInferredAsync(observation, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private void RequireExplicitControl()
    {
        if (_manager.Mode != ModelControlMode.Explicit)
        {
            throw new InferenceException(InferenceErrorKind.Forbidden, "model control is disabled; start the server with --model-control-mode=explicit");
        }
    }

    private static (long Priority, long TimeoutMicroseconds) ReadSchedulingParameters(IReadOnlyDictionary<string, ParameterValue> parameters)
    {
        long p = 0;
        if (parameters.TryGetValue("priority", out var priority) && (!priority.TryGetInt64(out p) || p < 0))
        {
            throw InferenceException.Invalid("parameter 'priority' must be a non-negative integer");
        }

        long micros = 0;
        if (parameters.TryGetValue("timeout", out var timeout) && (!timeout.TryGetInt64(out micros) || micros < 0))
        {
            throw InferenceException.Invalid("parameter 'timeout' must be a non-negative integer number of microseconds");
        }

        // 0 means no timeout, as in Triton.
        return (p, micros);
    }

    private static TensorSignature[] Signatures(IReadOnlyList<TensorConfig> tensors, int maxBatch) =>
        tensors.Select(t => new TensorSignature(t.Name, t.DataType, maxBatch > 0 ? [-1, .. t.Dims] : t.Dims)).ToArray();

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long ElapsedNs(long start) => (long)((Stopwatch.GetTimestamp() - start) * (1_000_000_000.0 / Stopwatch.Frequency));
}

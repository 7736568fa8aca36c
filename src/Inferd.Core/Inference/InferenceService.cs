using System.Diagnostics;
using System.Reflection;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Lifecycle;
using Inferd.Core.Repository;
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

    private const long MaxTimerMilliseconds = 4_294_967_294;

    private readonly ModelManager _manager;
    private readonly RequestLimits _limits;
    private readonly TimeProvider _time;
    private readonly string _version;
    private int _disposed;

    /// <summary>Creates the facade; call <see cref="StartAsync"/> to load models.</summary>
    public InferenceService(ModelRepositoryOptions options, IModelBackend backend, RequestLimits limits, TimeProvider time, ILogger<InferenceService> logger)
    {
        _manager = new ModelManager(options, backend, time, logger);
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
    public async Task<InferenceResponse> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var loaded = _manager.Acquire(request.ModelName, request.ModelVersion);
        try
        {
            var config = loaded.Config;
            long batch;
            try
            {
                batch = RequestValidator.Validate(request, config, _limits);
            }
            catch (InferenceException)
            {
                loaded.Statistics.RecordFailure(ElapsedNs(started), NowMs());
                throw;
            }

            using var deadline = CreateDeadline(request.Parameters, cancellationToken);
            var token = deadline?.Token ?? cancellationToken;
            var outputNames = request.Outputs.Count > 0 ? request.Outputs.Select(o => o.Name).ToArray() : config.Outputs.Select(o => o.Name).ToArray();
            var timings = new RunTimings();
            var queueNs = ElapsedNs(started);
            IReadOnlyList<InferenceTensor> outputs;
            try
            {
                outputs = await loaded.Model.RunAsync(0, request.Inputs, outputNames, timings, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline is { Expired: true } && !cancellationToken.IsCancellationRequested)
            {
                loaded.Statistics.RecordFailure(ElapsedNs(started), NowMs());
                throw new InferenceException(InferenceErrorKind.DeadlineExceeded, "request timeout expired");
            }
            catch (OperationCanceledException)
            {
                loaded.Statistics.RecordFailure(ElapsedNs(started), NowMs());
                throw new InferenceException(InferenceErrorKind.Cancelled, "request cancelled by the client");
            }
            catch (InferenceException)
            {
                loaded.Statistics.RecordFailure(ElapsedNs(started), NowMs());
                throw;
            }

            var requested = request.Outputs.Count > 0 ? request.Outputs.Cast<RequestedOutput?>().ToArray() : new RequestedOutput?[outputs.Count];
            var final = new InferenceTensor[outputs.Count];
            for (var i = 0; i < outputs.Count; i++)
            {
                final[i] = outputs[i];
                if (requested[i] is { ClassificationCount: > 0 } r)
                {
                    final[i] = Classifier.Apply(outputs[i], r.ClassificationCount, loaded.Labels.GetValueOrDefault(outputs[i].Name), config.MaxBatchSize > 0);
                }
            }

            loaded.Statistics.RecordSuccess(batch, ElapsedNs(started), queueNs, timings.ComputeInputNs, timings.ComputeInferNs, timings.ComputeOutputNs, NowMs());
            return new InferenceResponse(request.ModelName, loaded.VersionText, request.Id, final, requested);
        }
        finally
        {
            loaded.Release();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ModelStatistics> GetStatistics(string? modelName, string? version)
    {
        if (string.IsNullOrEmpty(modelName))
        {
            return _manager.AllReady().Select(v => v.Statistics.Snapshot(v.ModelName, v.VersionText)).ToArray();
        }

        if (!string.IsNullOrEmpty(version))
        {
            var loaded = _manager.Acquire(modelName, version);
            try
            {
                return [loaded.Statistics.Snapshot(loaded.ModelName, loaded.VersionText)];
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

        return versions.Select(v => v.Statistics.Snapshot(v.ModelName, v.VersionText)).ToArray();
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

    private void RequireExplicitControl()
    {
        if (_manager.Mode != ModelControlMode.Explicit)
        {
            throw new InferenceException(InferenceErrorKind.Forbidden, "model control is disabled; start the server with --model-control-mode=explicit");
        }
    }

    private RequestDeadline? CreateDeadline(IReadOnlyDictionary<string, ParameterValue> parameters, CancellationToken outer)
    {
        if (parameters.TryGetValue("priority", out var priority) && (!priority.TryGetInt64(out var p) || p < 0))
        {
            throw InferenceException.Invalid("parameter 'priority' must be a non-negative integer");
        }

        if (!parameters.TryGetValue("timeout", out var timeout))
        {
            return null;
        }

        if (!timeout.TryGetInt64(out var micros) || micros < 0)
        {
            throw InferenceException.Invalid("parameter 'timeout' must be a non-negative integer number of microseconds");
        }

        // 0 means no timeout, as in Triton. .NET timers take at most 4,294,967,294 ms (about 49.7 days); a longer
        // timeout can never fire in practice, so it also means none rather than failing the request.
        return micros == 0 || micros / 1000 >= MaxTimerMilliseconds ? null : new RequestDeadline(TimeSpan.FromMicroseconds(micros), _time, outer);
    }

    private static TensorSignature[] Signatures(IReadOnlyList<TensorConfig> tensors, int maxBatch) =>
        tensors.Select(t => new TensorSignature(t.Name, t.DataType, maxBatch > 0 ? [-1, .. t.Dims] : t.Dims)).ToArray();

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static long ElapsedNs(long start) => (long)((Stopwatch.GetTimestamp() - start) * (1_000_000_000.0 / Stopwatch.Frequency));
}

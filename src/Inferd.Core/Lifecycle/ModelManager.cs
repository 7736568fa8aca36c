using System.Collections.Concurrent;
using System.Collections.Immutable;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Models;
using Inferd.Core.Repository;
using Inferd.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Inferd.Core.Lifecycle;

/// <summary>
/// Owns the repository snapshot: loads, reloads and unloads models and hands out references to ready versions.
/// The snapshot is immutable and replaced atomically; loads of one model are serialized, different models load
/// independently. A reload builds the new versions beside the old ones and swaps only when all of them loaded,
/// so a failed reload leaves the old versions serving.
/// </summary>
internal sealed class ModelManager : IAsyncDisposable
{
    private readonly ModelRepositoryOptions _options;
    private readonly RepositoryScanner _scanner;
    private readonly IModelBackend _backend;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _modelLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<LoadedVersion, byte> _draining = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _pollGate = new(1, 1);
    private volatile bool _disposed;
    private ImmutableDictionary<string, ModelEntry> _models = ImmutableDictionary.Create<string, ModelEntry>(StringComparer.Ordinal);
    private Task? _pollLoop;
    private volatile bool _startupComplete;

    public ModelManager(ModelRepositoryOptions options, IModelBackend backend, TimeProvider time, ILogger logger)
    {
        _options = options;
        _scanner = new RepositoryScanner(options.Root);
        _backend = backend;
        _time = time;
        _logger = logger;
    }

    public ModelControlMode Mode => _options.Mode;

    public bool StartupComplete => _startupComplete;

    /// <summary>Ready when start-up finished and, with strict readiness, every model that should load is ready.</summary>
    public bool IsReady =>
        _startupComplete && (!_options.StrictReadiness || Volatile.Read(ref _models).Values.Where(m => m.ShouldBeReady).All(m => m.AnyReady));

    /// <summary>Loads what the control mode says to load at start, then starts polling in poll mode.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var all = _scanner.ListModels((entry, reason) => CoreLog.Ignored(_logger, entry, reason));
        IEnumerable<string> toLoad = _options.Mode switch
        {
            ModelControlMode.Explicit when _options.StartupModels.Contains("*") => all,
            ModelControlMode.Explicit => _options.StartupModels,
            _ => all,
        };

        foreach (var name in StartupOrder.PipelinesLast(toLoad, _scanner))
        {
            try
            {
                await LoadAsync(name, null, cancellationToken).ConfigureAwait(false);
            }
            catch (InferenceException)
            {
                // Already recorded in the index with its reason and logged; other models keep loading.
            }
        }

        _startupComplete = true;
        if (_options.Mode == ModelControlMode.Poll)
        {
            _pollLoop = PollLoopAsync(_stopping.Token);
        }
    }

    /// <summary>Takes a reference on a ready version. Ownership: the caller calls <see cref="LoadedVersion.Release"/>.</summary>
    public LoadedVersion Acquire(string modelName, string? version)
    {
        RepositoryPaths.ValidateModelName(modelName);
        long wanted = 0;
        var specific = !string.IsNullOrEmpty(version);
        if (specific && !RepositoryPaths.TryParseVersion(version, out wanted))
        {
            throw InferenceException.Invalid("model version must be a non-negative integer");
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var snapshot = Volatile.Read(ref _models);
            if (!snapshot.TryGetValue(modelName, out var entry))
            {
                throw InferenceException.NotFound($"unknown model '{modelName}'");
            }

            LoadedVersion? candidate;
            if (specific)
            {
                if (!entry.Versions.TryGetValue(wanted, out var slot))
                {
                    throw InferenceException.NotFound($"unknown version {wanted} of model '{modelName}'");
                }

                candidate = slot.State == ModelState.Ready ? slot.Loaded : null;
                if (candidate is null)
                {
                    throw new InferenceException(InferenceErrorKind.ModelNotReady, $"version {wanted} of model '{modelName}' is not ready ({StateText(slot)})");
                }
            }
            else
            {
                candidate = entry.Latest ?? throw new InferenceException(InferenceErrorKind.ModelNotReady, $"model '{modelName}' has no ready version");
            }

            if (candidate.TryAcquire())
            {
                return candidate;
            }

            // Released between the snapshot read and the acquire: a newer snapshot exists; read it again.
        }

        throw new InferenceException(InferenceErrorKind.ModelNotReady, $"model '{modelName}' is being reloaded; retry");
    }

    /// <summary>Ready versions of a model, highest first.</summary>
    public IReadOnlyList<LoadedVersion> ReadyVersions(string modelName) =>
        Volatile.Read(ref _models).TryGetValue(modelName, out var entry)
            ? entry.Versions.Values.Reverse().Where(s => s.State == ModelState.Ready && s.Loaded is not null).Select(s => s.Loaded!).ToArray()
            : [];

    /// <summary>All ready versions of all models.</summary>
    public IEnumerable<LoadedVersion> AllReady() =>
        Volatile.Read(ref _models).Values.OrderBy(m => m.Name, StringComparer.Ordinal)
            .SelectMany(m => m.Versions.Values.Where(s => s.State == ModelState.Ready && s.Loaded is not null).Select(s => s.Loaded!));

    public bool IsKnown(string modelName) => Volatile.Read(ref _models).ContainsKey(modelName);

    /// <summary>The repository index: every model on disk or in the snapshot, one row per version slot.</summary>
    public IReadOnlyList<RepositoryIndexEntry> Index(bool readyOnly)
    {
        var snapshot = Volatile.Read(ref _models);
        var names = new SortedSet<string>(_scanner.ListModels(), StringComparer.Ordinal);
        names.UnionWith(snapshot.Keys);
        var rows = new List<RepositoryIndexEntry>();
        foreach (var name in names)
        {
            var draining = _draining.Keys.Where(d => d.ModelName == name).ToArray();
            if (!snapshot.TryGetValue(name, out var entry) || (entry.Versions.Count == 0 && draining.Length == 0))
            {
                rows.Add(new RepositoryIndexEntry(name, "", ModelState.Unavailable, entry?.Reason ?? ""));
                continue;
            }

            foreach (var slot in entry.Versions.Values)
            {
                rows.Add(new RepositoryIndexEntry(name, slot.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), slot.State, slot.State == ModelState.Ready ? "" : slot.Reason));
            }

            foreach (var d in draining.Where(d => !entry.Versions.ContainsKey(d.Version)))
            {
                rows.Add(new RepositoryIndexEntry(name, d.VersionText, ModelState.Unloading, "waiting for in-flight requests"));
            }
        }

        return readyOnly ? rows.Where(r => r.State == ModelState.Ready).ToArray() : rows;
    }

    /// <summary>
    /// Loads or reloads a model from disk, or from <paramref name="configOverride"/> (JSON) when given.
    /// Throws InferenceException with the reason when the load fails; the previous versions keep serving.
    /// </summary>
    public async Task LoadAsync(string modelName, string? configOverride, CancellationToken cancellationToken)
    {
        RepositoryPaths.ValidateModelName(modelName);
        var gate = _modelLocks.GetOrAdd(modelName, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadLockedAsync(modelName, configOverride, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task LoadLockedAsync(string modelName, string? configOverride, CancellationToken cancellationToken)
    {
        if (!_scanner.Exists(modelName))
        {
            throw InferenceException.NotFound($"model '{modelName}' is not in the repository");
        }

        var fingerprint = _scanner.Fingerprint(modelName);
        ParsedModelConfig parsed;
        IReadOnlyList<long> selected;
        try
        {
            var text = configOverride ?? _scanner.ReadConfigText(modelName);
            parsed = text is null ? new ParsedModelConfig(new ModelConfig { Name = modelName }, false) : ModelConfigJson.Read(text, modelName);
            selected = parsed.Config.VersionPolicy.Select(_scanner.ListVersions(modelName));
            if (selected.Count == 0)
            {
                throw new ModelConfigException("no version directory matches the version policy (versions are numeric folders holding the model file)");
            }
        }
        catch (ModelConfigException ex)
        {
            Fail(modelName, ex.Message, fingerprint, []);
            throw InferenceException.Invalid($"cannot load model '{modelName}': {ex.Message}");
        }

        Publish(modelName, e =>
        {
            var versions = e.Versions;
            foreach (var v in selected.Where(v => !versions.TryGetValue(v, out var s) || s.State != ModelState.Ready))
            {
                versions = versions.SetItem(v, new VersionSlot(v, ModelState.Loading, "loading", null));
            }

            return e with { Versions = versions, ShouldBeReady = true };
        });

        var loaded = new List<LoadedVersion>();
        try
        {
            foreach (var version in selected.OrderBy(v => v))
            {
                cancellationToken.ThrowIfCancellationRequested();
                CoreLog.Loading(_logger, modelName, version);
                loaded.Add(await LoadVersionAsync(modelName, version, parsed, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is InferenceException or ModelConfigException or OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            foreach (var l in loaded)
            {
                l.Release();
            }

            var reason = ex switch
            {
                OperationCanceledException => "load cancelled",
                IOException or UnauthorizedAccessException => "model files could not be read",
                _ => ex.Message,
            };
            var failedVersion = selected.OrderBy(v => v).Skip(loaded.Count).FirstOrDefault();
            Fail(modelName, reason, fingerprint, selected, failedVersion);
            throw ex is InferenceException { Kind: not InferenceErrorKind.InvalidInput } ie
                ? ie
                : InferenceException.Invalid($"cannot load model '{modelName}': {reason}");
        }

        if (_disposed)
        {
            foreach (var l in loaded)
            {
                l.Release();
            }

            throw new InferenceException(InferenceErrorKind.ModelNotReady, "the server is shutting down");
        }

        // Swap: the new versions become the snapshot in one step; every previous version is retired and released
        // when its last in-flight request finishes.
        var previous = Publish(modelName, e =>
        {
            var slots = ImmutableSortedDictionary.CreateRange(loaded.Select(l => KeyValuePair.Create(l.Version, new VersionSlot(l.Version, ModelState.Ready, "", l))));
            return e with { Versions = slots, Reason = "", Fingerprint = fingerprint, ShouldBeReady = true };
        });
        foreach (var l in loaded)
        {
            CoreLog.Ready(_logger, modelName, l.Version);
        }

        Retire(previous);
    }

    private async Task<LoadedVersion> LoadVersionAsync(string modelName, long version, ParsedModelConfig parsed, CancellationToken cancellationToken)
    {
        // A pipeline version is a directory (its steps name their own files); a plain model is one file.
        var versionDirectory = _scanner.ModelFile(modelName, version, ".");
        var file = parsed.Config.Pipeline is null ? _scanner.ModelFile(modelName, version, parsed.Config.DefaultModelFilename) : versionDirectory;
        var versionText = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ILoadedModel? model = await _backend.LoadAsync(new ModelLoadContext(modelName, versionText, file, parsed.Config), cancellationToken).ConfigureAwait(false);
        try
        {
            var config = ConfigCompleter.Complete(parsed, model.Signature, _backend, model.Platform);
            var labels = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var output in config.Outputs.Where(o => o.LabelFilename is not null))
            {
                labels[output.Name] = _scanner.ReadLabels(modelName, output.LabelFilename!);
            }

            var loaded = new LoadedVersion(modelName, version, config, model, labels, _time, OnReleased);
            model = null;
            await Warmup.RunOrReleaseAsync(loaded, Path.GetFullPath(versionDirectory), _logger, cancellationToken).ConfigureAwait(false);
            return loaded;
        }
        catch
        {
            model?.Dispose();
            throw;
        }
    }

    /// <summary>Unloads every version of a model; requests in flight finish on them first.</summary>
    public async Task UnloadAsync(string modelName, CancellationToken cancellationToken)
    {
        RepositoryPaths.ValidateModelName(modelName);
        var gate = _modelLocks.GetOrAdd(modelName, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Volatile.Read(ref _models).ContainsKey(modelName) && !_scanner.Exists(modelName))
            {
                throw InferenceException.NotFound($"unknown model '{modelName}'");
            }

            var previous = Publish(modelName, e => e with { Versions = ImmutableSortedDictionary<long, VersionSlot>.Empty, Reason = "unloaded", ShouldBeReady = false });
            Retire(previous);
        }
        finally
        {
            gate.Release();
        }
    }

    private void Fail(string modelName, string reason, string fingerprint, IReadOnlyList<long> selected, long failedVersion = -1)
    {
        CoreLog.LoadFailed(_logger, modelName, reason);
        Publish(modelName, e =>
        {
            // Ready versions keep serving; the versions that were loading become UNAVAILABLE with the reason.
            var versions = e.Versions;
            foreach (var v in selected)
            {
                if (!versions.TryGetValue(v, out var s) || s.State != ModelState.Ready)
                {
                    versions = versions.SetItem(v, new VersionSlot(v, ModelState.Unavailable, v == failedVersion || failedVersion < 0 ? reason : "another version failed to load", null));
                }
            }

            return e with { Versions = versions, Reason = reason, Fingerprint = fingerprint, ShouldBeReady = true };
        });
    }

    /// <summary>Applies an update to one model's entry atomically; returns the entry it replaced.</summary>
    private ModelEntry Publish(string modelName, Func<ModelEntry, ModelEntry> update)
    {
        while (true)
        {
            var snapshot = Volatile.Read(ref _models);
            var current = snapshot.TryGetValue(modelName, out var e) ? e : ModelEntry.Empty(modelName);
            var next = snapshot.SetItem(modelName, update(current));
            if (Interlocked.CompareExchange(ref _models, next, snapshot) == snapshot)
            {
                return current;
            }
        }
    }

    private void Retire(ModelEntry previous)
    {
        foreach (var slot in previous.Versions.Values)
        {
            if (slot.State == ModelState.Ready && slot.Loaded is { } loaded)
            {
                CoreLog.Unloading(_logger, previous.Name, loaded.Version);
                _draining.TryAdd(loaded, 0);
                loaded.Release();
            }
        }
    }

    private void OnReleased(LoadedVersion version)
    {
        _draining.TryRemove(version, out _);
        CoreLog.Released(_logger, version.ModelName, version.Version);
    }

    private async Task PollLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await PollOnceAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>One poll pass: load new models, reload changed ones, unload removed ones.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        // One pass at a time: the timer and an on-demand pass must not both unload the same removed model.
        await _pollGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await PollLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pollGate.Release();
        }
    }

    private async Task PollLockedAsync(CancellationToken cancellationToken)
    {
        try
        {
            var onDisk = _scanner.ListModels();
            foreach (var name in onDisk)
            {
                var snapshot = Volatile.Read(ref _models);
                var fingerprint = _scanner.Fingerprint(name);
                if (snapshot.TryGetValue(name, out var entry) && entry.Fingerprint == fingerprint)
                {
                    continue;
                }

                CoreLog.PollReload(_logger, name);
                try
                {
                    await LoadAsync(name, null, cancellationToken).ConfigureAwait(false);
                }
                catch (InferenceException)
                {
                    // Recorded in the index; the old versions keep serving.
                }
            }

            foreach (var name in Volatile.Read(ref _models).Keys.Except(onDisk, StringComparer.Ordinal).ToArray())
            {
                try
                {
                    await UnloadAsync(name, cancellationToken).ConfigureAwait(false);
                }
                catch (InferenceException)
                {
                    // Already gone; nothing to release.
                }

                Publish(name, e => e with { ShouldBeReady = false });
                ImmutableInterlocked.TryRemove(ref _models, name, out _);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ModelConfigException)
        {
            CoreLog.PollFailed(_logger, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_pollLoop is not null)
        {
            await _pollLoop.ConfigureAwait(false);
        }

        _disposed = true;
        foreach (var (name, gate) in _modelLocks.ToArray())
        {
            // Wait for a load in flight, so it cannot publish sessions after the snapshot was emptied.
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                Retire(Publish(name, e => e with { Versions = ImmutableSortedDictionary<long, VersionSlot>.Empty, ShouldBeReady = false }));
            }
            finally
            {
                gate.Release();
            }
        }

        _stopping.Dispose();
    }

    private static string StateText(VersionSlot slot) => slot.Reason.Length > 0 ? $"{slot.State.ToString().ToUpperInvariant()}: {slot.Reason}" : slot.State.ToString().ToUpperInvariant();
}

using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Configuration;
using Inferd.Core.Inference;
using Inferd.Core.Scheduling;

namespace Inferd.Core.Lifecycle;

/// <summary>
/// A ready model version shared by the repository snapshot and the requests running on it. Reference counted:
/// the snapshot holds one reference and each request one more; the native model is disposed when the count
/// reaches zero, so an unload or reload never pulls a session out from under a running request.
/// </summary>
internal sealed class LoadedVersion
{
    private readonly Action<LoadedVersion>? _onReleased;
    private int _references = 1;

    public LoadedVersion(string modelName, long version, ModelConfig config, ILoadedModel model, IReadOnlyDictionary<string, string[]> labels, TimeProvider time, Action<LoadedVersion>? onReleased)
    {
        ModelName = modelName;
        Version = version;
        VersionText = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Config = config;
        Model = model;
        Labels = labels;
        _onReleased = onReleased;
        OutputNames = config.Outputs.Select(o => o.Name).ToArray();
        Scheduler = new ModelScheduler(modelName, config, model, Statistics, time);
    }

    public string ModelName { get; }

    public long Version { get; }

    public string VersionText { get; }

    /// <summary>The completed config this version runs with.</summary>
    public ModelConfig Config { get; }

    /// <summary>The native model. Ownership: this object; disposed at reference count zero.</summary>
    public ILoadedModel Model { get; }

    /// <summary>Labels per output name, read from <c>label_filename</c>.</summary>
    public IReadOnlyDictionary<string, string[]> Labels { get; }

    public VersionStatistics Statistics { get; } = new();

    /// <summary>The statistics extension's view of this version, with pipeline step counters when it has steps.</summary>
    public Abstractions.Models.ModelStatistics Snapshot() =>
        Statistics.Snapshot(ModelName, VersionText) with { PipelineSteps = Model.StepStatistics ?? [] };

    /// <summary>Every output of the config, computed once for requests that name none.</summary>
    public string[] OutputNames { get; }

    /// <summary>Queues, instances and batching of this version.</summary>
    public ModelScheduler Scheduler { get; }

    /// <summary>True once the native model was released.</summary>
    public bool IsReleased => Volatile.Read(ref _references) == 0;

    /// <summary>Takes a reference for a request; fails when the version is already released.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Drops a reference; the last one disposes the native model.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            // No request holds a reference, so the queues are empty: nothing is failed by disposing them.
            Scheduler.Dispose();
            Model.Dispose();
            _onReleased?.Invoke(this);
        }
    }
}

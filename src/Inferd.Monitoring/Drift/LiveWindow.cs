using System.Collections.Frozen;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// The live side of one model version: per profiled feature, the last <see cref="Capacity"/> values and the
/// data-quality counters. <see cref="Add"/> runs on the request path: it takes one lock for the few microseconds of
/// copying a request's values into ring buffers and allocates nothing; <see cref="Snapshot"/> copies under the same
/// lock and the caller sorts and tests outside it.
/// </summary>
internal sealed class LiveWindow
{
    private readonly Lock _gate = new();
    private readonly FeatureWindow[] _inputs;
    private readonly FeatureWindow[] _outputs;
    private readonly FrozenDictionary<string, FeatureWindow?[]> _inputsByTensor;
    private readonly FrozenDictionary<string, FeatureWindow?[]> _outputsByTensor;
    private long _rows;
    private long _updates;

    /// <summary>Creates an empty window over the features of <paramref name="profile"/>.</summary>
    public LiveWindow(ReferenceProfile profile, int capacity)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _inputs = profile.Inputs.Select(f => Create(f, capacity)).ToArray();
        _outputs = profile.Outputs.Select(f => Create(f, capacity)).ToArray();
        _inputsByTensor = ByTensor(_inputs);
        _outputsByTensor = ByTensor(_outputs);
        InputTensors = _inputsByTensor.Keys.ToFrozenSet(StringComparer.Ordinal);
        OutputTensors = _outputsByTensor.Keys.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Values kept per feature.</summary>
    public int Capacity { get; }

    /// <summary>Input tensors the profile has features of; the extractor reads only these.</summary>
    public IReadOnlySet<string> InputTensors { get; }

    /// <summary>Output tensors the profile has features of.</summary>
    public IReadOnlySet<string> OutputTensors { get; }

    /// <summary>Requests added so far.</summary>
    public long Updates => Volatile.Read(ref _updates);

    /// <summary>Adds one request's features. Features of the profile the request lacks count as missing (inputs only:
    /// a client may ask for a subset of the outputs).</summary>
    public void Add(ExtractedFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        lock (_gate)
        {
            var stamp = _updates + 1;
            Apply(features.Inputs, _inputsByTensor, stamp);
            Apply(features.Outputs, _outputsByTensor, stamp);
            foreach (var window in _inputs)
            {
                if (window.Stamp != stamp && features.Rows > 0)
                {
                    window.AddMissing(features.Rows);
                }
            }

            _rows += features.Rows;
            Volatile.Write(ref _updates, stamp);
        }
    }

    /// <summary>A copy of the window.</summary>
    public WindowSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new WindowSnapshot(
                Math.Min(_rows, Capacity),
                _updates,
                _inputs.Select(w => w.Snapshot()).ToArray(),
                _outputs.Select(w => w.Snapshot()).ToArray());
        }
    }

    private static void Apply(IReadOnlyList<FeatureColumn> columns, FrozenDictionary<string, FeatureWindow?[]> byTensor, long stamp)
    {
        foreach (var column in columns)
        {
            // Slot 0 is the tensor's only element per row (index -1); slot j + 1 is element j.
            if (byTensor.TryGetValue(column.Tensor, out var slots)
                && column.Index + 1 < slots.Length
                && slots[column.Index + 1] is { } window
                && window.Profile.Kind == column.Kind)
            {
                window.Add(column);
                window.Stamp = stamp;
            }
        }
    }

    private static FeatureWindow Create(FeatureProfile feature, int capacity) =>
        feature.Kind == FeatureKind.Numeric ? new NumericWindow(feature, capacity) : new CategoryWindow(feature, capacity);

    private static FrozenDictionary<string, FeatureWindow?[]> ByTensor(FeatureWindow[] windows)
    {
        var map = new Dictionary<string, FeatureWindow?[]>(StringComparer.Ordinal);
        foreach (var window in windows)
        {
            var feature = window.Profile;
            if (!map.TryGetValue(feature.Tensor, out var slots))
            {
                slots = new FeatureWindow?[FeatureExtractor.MaxElementsPerRow + 1];
                map.Add(feature.Tensor, slots);
            }

            slots[feature.Index + 1] = window;
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

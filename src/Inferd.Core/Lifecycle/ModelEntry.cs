using System.Collections.Immutable;
using Inferd.Abstractions.Models;

namespace Inferd.Core.Lifecycle;

/// <summary>One version's place in the snapshot: its state, why, and the loaded model when ready.</summary>
internal sealed record VersionSlot(long Version, ModelState State, string Reason, LoadedVersion? Loaded);

/// <summary>A model in the immutable repository snapshot.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Versions">Slots by version number.</param>
/// <param name="Reason">Model-level reason (e.g. a config error) when no version could even be tried.</param>
/// <param name="Fingerprint">What the files looked like when last loaded; poll mode reloads when it changes.</param>
/// <param name="ShouldBeReady">Whether strict readiness waits for this model.</param>
internal sealed record ModelEntry(string Name, ImmutableSortedDictionary<long, VersionSlot> Versions, string Reason, string Fingerprint, bool ShouldBeReady)
{
    public static ModelEntry Empty(string name) => new(name, ImmutableSortedDictionary<long, VersionSlot>.Empty, "", "", false);

    /// <summary>The highest-numbered ready version, if any.</summary>
    public LoadedVersion? Latest => Versions.Values.Reverse().FirstOrDefault(v => v.State == ModelState.Ready)?.Loaded;

    public bool AnyReady => Versions.Values.Any(v => v.State == ModelState.Ready);
}

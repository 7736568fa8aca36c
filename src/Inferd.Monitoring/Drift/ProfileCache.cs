using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Inferd.Monitoring.Drift;

/// <summary>
/// The reference profile of each model, read from <c>&lt;repository&gt;/&lt;model&gt;/&lt;drift.profile&gt;</c>. The
/// file is looked at once per <see cref="Recheck"/> per model (a stat), and parsed again only when its time or size
/// changed, so <c>inferd profile</c> can be run against a serving repository. A request that finds another one
/// checking the file does not wait: it goes on with the profile it has.
/// </summary>
internal sealed class ProfileCache(string repository, TimeProvider time, ILogger logger)
{
    /// <summary>How often the profile file of a model is looked at.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>The profile of <paramref name="model"/>, or null when it has none (or it cannot be read).</summary>
    /// <param name="model">The model (its folder in the repository).</param>
    /// <param name="relativePath">The profile's path inside the model's folder (<c>monitoring.drift.profile</c>).</param>
    public ReferenceProfile? Get(string model, string relativePath)
    {
        var slot = _slots.GetOrAdd(model, static _ => new Slot());
        var entry = slot.Entry;
        var now = time.GetUtcNow();
        if (entry is not null && entry.RelativePath == relativePath && now - entry.CheckedAt < Recheck)
        {
            return entry.Profile;
        }

        if (!slot.Gate.TryEnter())
        {
            return entry?.Profile;
        }

        try
        {
            entry = slot.Entry;
            if (entry is not null && entry.RelativePath == relativePath && now - entry.CheckedAt < Recheck)
            {
                return entry.Profile;
            }

            slot.Entry = entry = Check(model, relativePath, entry, now);
            return entry.Profile;
        }
        finally
        {
            slot.Gate.Exit();
        }
    }

    /// <summary>The profile last seen for <paramref name="model"/>, without looking at the file.</summary>
    public ReferenceProfile? Peek(string model) => _slots.TryGetValue(model, out var slot) ? slot.Entry?.Profile : null;

    private Entry Check(string model, string relativePath, Entry? previous, DateTimeOffset now)
    {
        var path = Path.Combine(repository, model, relativePath);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            if (previous?.Profile is not null)
            {
                DriftLog.ProfileRemoved(logger, model, path);
            }

            return new Entry(relativePath, null, default, -1, now);
        }

        if (previous is not null && previous.RelativePath == relativePath && previous.WriteTime == file.LastWriteTimeUtc && previous.Length == file.Length)
        {
            return previous with { CheckedAt = now };
        }

        ReferenceProfile? profile = null;
        try
        {
            profile = ReferenceProfileJson.Read(File.ReadAllBytes(path));
            DriftLog.ProfileLoaded(logger, model, path, profile.Inputs.Count, profile.Outputs.Count, profile.Rows);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            DriftLog.ProfileInvalid(logger, model, path, e.Message);
        }

        return new Entry(relativePath, profile, file.LastWriteTimeUtc, file.Length, now);
    }

    private sealed class Slot
    {
        public Lock Gate { get; } = new();

        public Entry? Entry
        {
            get => Volatile.Read(ref _entry);
            set => Volatile.Write(ref _entry, value);
        }

        private Entry? _entry;
    }

    private sealed record Entry(string RelativePath, ReferenceProfile? Profile, DateTime WriteTime, long Length, DateTimeOffset CheckedAt);
}

using System.Collections.Concurrent;
using Inferd.Abstractions.Inference;

namespace Inferd.Explain.Trees;

/// <summary>
/// Parsed model files by path and last write time, so choosing a default method and explaining many rows read a file
/// once; a rewritten file is read again. Refusals are cached too (Supports runs on every request without a method).
/// </summary>
internal sealed class TreeModelCache
{
    /// <summary>More files than this and the cache starts over: a repository reload gives new paths, old ones go stale.</summary>
    private const int MaxFiles = 256;

    private readonly ConcurrentDictionary<string, Entry> _files = new(StringComparer.Ordinal);

    /// <summary>The parsed file; throws InvalidInput with the reason when Tree SHAP cannot read it.</summary>
    public TreeModelFile Get(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw InferenceException.Invalid($"the model file '{Path.GetFileName(full)}' is not in the version directory");
        }

        var stamp = File.GetLastWriteTimeUtc(full);
        if (_files.TryGetValue(full, out var cached) && cached.Stamp == stamp)
        {
            return cached.File ?? throw InferenceException.Invalid(cached.Problem!);
        }

        Entry entry;
        try
        {
            entry = new Entry(stamp, TreeModelFile.Read(full), null);
        }
        catch (InferenceException e)
        {
            entry = new Entry(stamp, null, e.Message);
        }

        if (_files.Count >= MaxFiles)
        {
            _files.Clear();
        }

        _files[full] = entry;
        return entry.File ?? throw InferenceException.Invalid(entry.Problem!);
    }

    private sealed record Entry(DateTime Stamp, TreeModelFile? File, string? Problem);
}

using System.IO.Enumeration;
using Inferd.Batch.Jobs;

namespace Inferd.Batch.Service;

/// <summary>Picks the files a schedule's run scores: new or changed since they were last handed to a job, and settled.</summary>
internal static class ScheduleFileSelector
{
    /// <summary>
    /// Files under <paramref name="input"/> (recursively) that are not hidden (no path segment starts with '.'), whose
    /// last write is at least <paramref name="minAge"/> before <paramref name="now"/> (a file still being copied keeps
    /// changing), that resolve inside the data folder, and that <paramref name="taken"/> does not hold with the same
    /// size and last write time. Sorted by path, so a job's input order does not depend on the file system.
    /// </summary>
    /// <exception cref="BatchJobException">The input folder does not exist.</exception>
    public static IReadOnlyList<ScheduleFile> Select(
        DataFolder folder, DataPath input, IReadOnlyDictionary<string, ScheduleFile> taken, DateTimeOffset now, TimeSpan minAge)
    {
        if (!Directory.Exists(input.FullPath))
        {
            throw new BatchJobException($"input folder '{input.Relative}' does not exist");
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var entries = new FileSystemEnumerable<(string Path, long Size, DateTimeOffset Mtime)>(
            input.FullPath,
            static (ref FileSystemEntry e) => (e.ToFullPath(), e.Length, e.LastWriteTimeUtc),
            options)
        {
            ShouldIncludePredicate = static (ref FileSystemEntry e) => !e.IsDirectory && !e.FileName.StartsWith('.'),
            // Linked folders are not entered: their files may lie anywhere, and a link cycle would never end.
            ShouldRecursePredicate = static (ref FileSystemEntry e) => !e.FileName.StartsWith('.') && (e.Attributes & FileAttributes.ReparsePoint) == 0,
        };

        var selected = new List<ScheduleFile>();
        foreach (var (path, size, mtime) in entries)
        {
            if (now - mtime < minAge)
            {
                continue;
            }

            var relative = folder.ToRelative(path);
            if (taken.TryGetValue(relative, out var previous) && previous.Size == size && previous.MtimeTicks == mtime.UtcTicks)
            {
                continue;
            }

            try
            {
                // A linked file is taken only when its target is inside the data folder too.
                folder.Resolve(relative);
            }
            catch (BatchJobException)
            {
                continue;
            }

            selected.Add(new ScheduleFile(relative, size, mtime.UtcTicks));
        }

        selected.Sort(static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        return selected;
    }
}

using Inferd.Batch.Jobs;

namespace Inferd.Batch.Service;

/// <summary>
/// The one folder the job API reads and writes. Clients name paths relative to it; anything that could reach outside
/// (an absolute path, a <c>..</c> segment, a symbolic link whose target lies outside) is refused, so a job can never
/// read <c>/etc/passwd</c> or overwrite the server's own files.
/// </summary>
/// <remarks>
/// The check resolves links at the time of the request. A link created inside the folder between the check and the
/// job's run is not seen; whoever can create links in the data folder can already write there.
/// </remarks>
internal sealed class DataFolder
{
    /// <summary>The folder under the root that holds the server's own files (the job database); never a job path.</summary>
    public const string ReservedName = ".inferd";

    // Linux gives up after 40 links in one path (ELOOP); so do we, which also ends link cycles.
    private const int MaxLinkHops = 40;

    /// <summary>Opens the folder at <paramref name="root"/>, which must exist.</summary>
    public DataFolder(string root)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(Root))
        {
            throw new DirectoryNotFoundException("the data folder does not exist: " + Root);
        }

        RealRoot = RealPath(Root);
    }

    /// <summary>The folder's full path as configured.</summary>
    public string Root { get; }

    /// <summary>The folder's path with every symbolic link resolved.</summary>
    public string RealRoot { get; }

    /// <summary>A stored spec with its paths resolved (and checked again) under this folder.</summary>
    /// <exception cref="Jobs.BatchJobException">A path no longer resolves inside the folder.</exception>
    public Jobs.BatchJobSpec ResolveSpec(Jobs.BatchJobSpec stored) => stored with
    {
        Inputs = stored.Inputs.Select(i => Resolve(i).FullPath).ToArray(),
        Output = Resolve(stored.Output).FullPath,
    };

    /// <summary>Resolves a client-given path.</summary>
    /// <exception cref="BatchJobException">The path is malformed or leads outside the folder.</exception>
    public DataPath Resolve(string relative)
    {
        var segments = Normalize(relative);
        var normalized = string.Join('/', segments);
        var full = Path.Join(Root, normalized);
        var real = RealPath(full);
        if (!IsInside(real, RealRoot))
        {
            throw new BatchJobException($"path '{relative}' leads outside the data folder (through a symbolic link)");
        }

        return new DataPath(normalized, full, real);
    }

    /// <summary>The client-facing form of a path under <see cref="Root"/> (forward slashes, no leading slash).</summary>
    public string ToRelative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    /// <summary>Replaces the folder's location in a message with nothing, so errors name paths as clients do.</summary>
    public string Redact(string message) =>
        message.Replace(Root + "/", "", StringComparison.Ordinal).Replace(RealRoot + "/", "", StringComparison.Ordinal);

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies under it (both real paths).</summary>
    public static bool IsInside(string path, string folder) =>
        path == folder
        || (path.StartsWith(folder, StringComparison.Ordinal) && path.Length > folder.Length
            && (path[folder.Length] == '/' || folder.EndsWith('/')));

    private static List<string> Normalize(string relative)
    {
        if (string.IsNullOrWhiteSpace(relative))
        {
            throw new BatchJobException("a path is empty; name a file or folder inside the data folder");
        }

        if (relative.Any(char.IsControl))
        {
            throw new BatchJobException("a path contains a control character");
        }

        if (relative.Contains('\\', StringComparison.Ordinal))
        {
            throw new BatchJobException($"path '{relative}' contains a backslash; separate folders with '/'");
        }

        if (relative.StartsWith('/') || relative.StartsWith('~') || Path.IsPathRooted(relative))
        {
            throw new BatchJobException($"path '{relative}' is absolute; paths are relative to the data folder");
        }

        var segments = new List<string>();
        foreach (var segment in relative.Split('/'))
        {
            if (segment == "..")
            {
                // Refused even where it would stay inside ("a/../b"): one rule is easier to trust than a computation.
                throw new BatchJobException($"path '{relative}' contains '..'; paths are relative to the data folder and stay inside it");
            }

            if (segment.Length > 0 && segment != ".")
            {
                segments.Add(segment);
            }
        }

        if (segments.Count == 0)
        {
            throw new BatchJobException($"path '{relative}' names the data folder itself; name a file or folder inside it");
        }

        if (segments[0] == ReservedName)
        {
            throw new BatchJobException($"'{ReservedName}' holds the server's own files and is not a job path");
        }

        return segments;
    }

    /// <summary>
    /// The path with every symbolic link of its existing part resolved (as realpath(3)); the part that does not exist
    /// yet is appended as written.
    /// </summary>
    private static string RealPath(string fullPath)
    {
        var pending = new LinkedList<string>(fullPath.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var current = "/";
        var hops = 0;
        var exists = true;
        while (pending.First is { } node)
        {
            pending.RemoveFirst();
            var segment = node.Value;
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, segment);
            var target = exists ? new FileInfo(next).LinkTarget : null;
            if (target is null)
            {
                exists = exists && Path.Exists(next);
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new BatchJobException("a path goes through too many symbolic links");
            }

            // Re-walk the target: it may itself go through links, or climb out with '..'.
            if (Path.IsPathRooted(target))
            {
                current = "/";
            }

            var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var i = parts.Length - 1; i >= 0; i--)
            {
                pending.AddFirst(parts[i]);
            }
        }

        return current;
    }
}

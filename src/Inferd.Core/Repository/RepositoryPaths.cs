using System.Text.RegularExpressions;
using Inferd.Abstractions.Inference;

namespace Inferd.Core.Repository;

/// <summary>
/// Every path the repository touches is derived here: names are allow-listed, then the full path must stay inside
/// the repository root after links are resolved (bad-inputs.md row 19; CVE-2023-31036).
/// </summary>
public static partial class RepositoryPaths
{
    /// <summary>The allow-list for model names.</summary>
    public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";

    /// <summary>True when the name is allowed as a model name.</summary>
    public static bool IsValidModelName(string? name) => name is not null && ModelName().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>Throws InvalidInput unless <paramref name="name"/> is an allowed model name.</summary>
    public static void ValidateModelName(string? name)
    {
        if (!IsValidModelName(name))
        {
            throw InferenceException.Invalid("model name must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit, without '..'");
        }
    }

    /// <summary>Parses a version string: digits only, as in version directory names. Null or empty means "by policy".</summary>
    public static bool TryParseVersion(string? version, out long value)
    {
        value = 0;
        if (string.IsNullOrEmpty(version) || version.Length > 18)
        {
            return false;
        }

        foreach (var c in version)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        value = long.Parse(version, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Resolves a child of <paramref name="root"/>; throws when it escapes the root (also through links).</summary>
    public static string Resolve(string root, params string[] parts)
    {
        var fullRoot = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine([fullRoot, .. parts]));
        if (!path.StartsWith(fullRoot, StringComparison.Ordinal))
        {
            throw new ModelConfigException("path escapes the model repository");
        }

        // A link inside the repository that points outside it is refused as well.
        var target = ResolveLinks(path);
        var realRoot = ResolveLinks(fullRoot.TrimEnd(Path.DirectorySeparatorChar)) + Path.DirectorySeparatorChar;
        if (!(target + Path.DirectorySeparatorChar).StartsWith(realRoot, StringComparison.Ordinal) && target != realRoot.TrimEnd(Path.DirectorySeparatorChar))
        {
            throw new ModelConfigException("path escapes the model repository through a link");
        }

        return path;
    }

    /// <summary>Checks a config field that names a file inside the model directory: relative, no '..', no rooted path.</summary>
    public static string CheckRelativeFileName(string value, string field)
    {
        if (value.Length > 255 || Path.IsPathRooted(value) || value.Contains('\\') || value.Split('/').Any(s => s is ".." or "." or ""))
        {
            throw new ModelConfigException($"{field} must be a relative file name inside the model directory");
        }

        return value;
    }

    private static string ResolveLinks(string path)
    {
        // Walk from the root of the path, replacing each link by its final target, so a link at any level counts.
        var parts = path.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = Path.GetPathRoot(path) ?? "/";
        foreach (var part in parts)
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.Exists && info.LinkTarget is not null)
            {
                var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
                if (resolved is not null)
                {
                    current = Path.GetFullPath(resolved.FullName);
                }
            }
        }

        return current;
    }

    [GeneratedRegex(NamePattern)]
    private static partial Regex ModelName();
}

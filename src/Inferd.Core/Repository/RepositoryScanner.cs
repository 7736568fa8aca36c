using System.Globalization;
using System.Text;
using Inferd.Abstractions.Inference;

namespace Inferd.Core.Repository;

/// <summary>Reads the on-disk layout <c>&lt;root&gt;/&lt;model&gt;/[config.json]</c> + <c>&lt;version&gt;/&lt;file&gt;</c>.</summary>
internal sealed class RepositoryScanner(string root)
{
    /// <summary>Config file name in a model directory.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>Triton's text-format config, read when <see cref="ConfigFileName"/> is absent.</summary>
    public const string PbtxtFileName = "config.pbtxt";

    /// <summary>The model card in a model directory (optional).</summary>
    public const string CardFileName = "card.md";

    /// <summary>Largest config or labels file read (1 MiB / 16 MiB): both are small text files.</summary>
    private const long MaxConfigBytes = 1024 * 1024;
    private const long MaxLabelBytes = 16 * 1024 * 1024;

    /// <summary>Largest model card read: 1 MiB, far beyond any description a person writes.</summary>
    private const long MaxCardBytes = 1024 * 1024;

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Model directories with valid names, sorted; invalid entries are reported through <paramref name="ignored"/>.</summary>
    public IReadOnlyList<string> ListModels(Action<string, string>? ignored = null)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var names = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.'))
            {
                continue;
            }

            if (!RepositoryPaths.IsValidModelName(name))
            {
                ignored?.Invoke(name, "not a valid model name");
                continue;
            }

            names.Add(name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public bool Exists(string model) => Directory.Exists(RepositoryPaths.Resolve(Root, model));

    /// <summary>
    /// The config as JSON: <c>config.json</c> as it is, else <c>config.pbtxt</c> converted to JSON, or null when
    /// the model has neither. <c>config.json</c> wins when both exist.
    /// </summary>
    public string? ReadConfigText(string model)
    {
        var path = RepositoryPaths.Resolve(Root, model, ConfigFileName);
        if (!File.Exists(path))
        {
            var pbtxt = RepositoryPaths.Resolve(Root, model, PbtxtFileName);
            if (!File.Exists(pbtxt))
            {
                return null;
            }

            if (new FileInfo(pbtxt).Length > MaxConfigBytes)
            {
                throw new ModelConfigException("config.pbtxt is larger than 1 MiB");
            }

            return PbtxtConfig.ToJson(File.ReadAllText(pbtxt, Encoding.UTF8));
        }

        if (new FileInfo(path).Length > MaxConfigBytes)
        {
            throw new ModelConfigException("config.json is larger than 1 MiB");
        }

        return File.ReadAllText(path, Encoding.UTF8);
    }

    /// <summary>Numeric version directories of a model.</summary>
    public IReadOnlyList<long> ListVersions(string model)
    {
        var dir = RepositoryPaths.Resolve(Root, model);
        var versions = new List<long>();
        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (RepositoryPaths.TryParseVersion(Path.GetFileName(sub), out var v))
            {
                versions.Add(v);
            }
        }

        return versions;
    }

    /// <summary>Full path of a version's model file, checked to stay inside the repository.</summary>
    public string ModelFile(string model, long version, string fileName) =>
        RepositoryPaths.Resolve(Root, model, version.ToString(CultureInfo.InvariantCulture), fileName);

    /// <summary>Reads a labels file (one label per line) from the model directory.</summary>
    public string[] ReadLabels(string model, string fileName)
    {
        var path = RepositoryPaths.Resolve(Root, model, fileName);
        if (!File.Exists(path))
        {
            throw new ModelConfigException($"label_filename '{fileName}' does not exist in the model directory");
        }

        if (new FileInfo(path).Length > MaxLabelBytes)
        {
            throw new ModelConfigException($"label file '{fileName}' is larger than 16 MiB");
        }

        return File.ReadAllLines(path, Encoding.UTF8);
    }

    /// <summary>
    /// The text of a model's <c>card.md</c>, or null when the model directory has none. Throws InvalidInput for a
    /// name outside the allow-list and ModelNotFound for a model that is not in the repository.
    /// </summary>
    /// <exception cref="ModelConfigException">The card is larger than 1 MiB or escapes the repository.</exception>
    public string? ReadCard(string model)
    {
        RepositoryPaths.ValidateModelName(model);
        if (!Exists(model))
        {
            throw InferenceException.NotFound($"unknown model '{model}'");
        }

        var path = RepositoryPaths.Resolve(Root, model, CardFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        if (new FileInfo(path).Length > MaxCardBytes)
        {
            throw new ModelConfigException("card.md is larger than 1 MiB");
        }

        return File.ReadAllText(path, Encoding.UTF8);
    }

    /// <summary>A cheap summary of a model's files (names, sizes, times) to detect changes in poll mode.</summary>
    public string Fingerprint(string model)
    {
        var dir = RepositoryPaths.Resolve(Root, model);
        if (!Directory.Exists(dir))
        {
            return "";
        }

        var sb = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }).OrderBy(f => f, StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            sb.Append(Path.GetRelativePath(dir, file)).Append(':').Append(info.Length).Append(':').Append(info.LastWriteTimeUtc.Ticks).Append(';');
        }

        return sb.ToString();
    }
}

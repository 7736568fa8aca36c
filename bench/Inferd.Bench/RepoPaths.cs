namespace Inferd.Bench;

/// <summary>Default paths relative to the repository root (the folder with Inferd.slnx), found from here or the app.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root, or null when neither the working folder nor the app's folder is inside one.</summary>
    public static string? Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Inferd.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary><paramref name="parts"/> under the repository root, else under the working folder.</summary>
    public static string Default(params string[] parts) => Path.Combine([Root() ?? Directory.GetCurrentDirectory(), .. parts]);
}

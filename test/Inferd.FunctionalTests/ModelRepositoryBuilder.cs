namespace Inferd.FunctionalTests;

/// <summary>Writes models into a repository folder: <c>&lt;root&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx</c> plus config.</summary>
internal static class ModelRepositoryBuilder
{
    public static void Add(string root, string name, byte[] model, string? configJson = null, long version = 1)
    {
        var dir = Path.Combine(root, name, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "model.onnx"), model);
        if (configJson is not null)
        {
            File.WriteAllText(Path.Combine(root, name, "config.json"), configJson);
        }
    }
}

using Inferd.Core.Repository;

namespace Inferd.Core.Lifecycle;

/// <summary>The order models load in at start.</summary>
internal static class StartupOrder
{
    /// <summary>
    /// Plain models first, then pipelines: a pipeline's repository steps check the model they call when the pipeline
    /// loads. The test is a cheap look at the config text; a config that cannot be read sorts first and fails its own
    /// load with the reason.
    /// </summary>
    public static IEnumerable<string> PipelinesLast(IEnumerable<string> models, RepositoryScanner scanner) =>
        models.OrderBy(m => IsPipeline(m, scanner));

    private static bool IsPipeline(string model, RepositoryScanner scanner)
    {
        try
        {
            return scanner.ReadConfigText(model)?.Contains("\"pipeline\"", StringComparison.Ordinal) == true;
        }
        catch (Exception ex) when (ex is ModelConfigException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

using Inferd.Abstractions.Inference;
using Inferd.Core.Inference;
using Inferd.Monitoring.Configuration;

namespace Inferd.Monitoring.Accuracy;

/// <summary>The ready model versions with their parsed <c>monitoring</c> section.</summary>
internal static class MonitoredVersions
{
    /// <summary>Ready versions, optionally of one model and one version, in index order.</summary>
    public static List<(string Model, string Version, ModelMonitoringConfig Config)> List(IInferenceService inference, string? model, string? version)
    {
        var result = new List<(string, string, ModelMonitoringConfig)>();
        foreach (var entry in inference.GetRepositoryIndex(readyOnly: true))
        {
            if (entry.Version.Length == 0 || (model is not null && entry.Name != model) || (version is not null && entry.Version != version))
            {
                continue;
            }

            try
            {
                result.Add((entry.Name, entry.Version, MonitoringConfigParser.Get(inference.GetModelConfig(entry.Name, entry.Version).Monitoring)));
            }
            catch (InferenceException)
            {
                // Unloaded between the index and the config read: it is simply not monitored this round.
            }
            catch (MonitoringConfigException)
            {
                // A version whose section does not parse is reported by the loader; nothing to evaluate here.
            }
        }

        return result;
    }
}

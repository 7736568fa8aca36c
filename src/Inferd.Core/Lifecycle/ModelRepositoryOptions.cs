using Inferd.Core.Repository;

namespace Inferd.Core.Lifecycle;

/// <summary>Where the repository is and how models get loaded.</summary>
/// <param name="Root">Repository root folder.</param>
/// <param name="Mode">Model control mode.</param>
/// <param name="StartupModels">In explicit mode, models to load at start ("*" = all).</param>
/// <param name="PollInterval">In poll mode, how often the folder is rescanned.</param>
/// <param name="StrictReadiness">Server readiness requires every model that should load to be ready.</param>
public sealed record ModelRepositoryOptions(string Root, ModelControlMode Mode, IReadOnlyList<string> StartupModels, TimeSpan PollInterval, bool StrictReadiness);

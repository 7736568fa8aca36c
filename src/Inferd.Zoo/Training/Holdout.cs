using Inferd.Processing.Steps.Text;

namespace Inferd.Zoo.Training;

/// <summary>
/// The deterministic 80/20 split: a row is held out when FNV-1a of <c>"&lt;data set&gt;:&lt;row id&gt;"</c> is 0 modulo 5.
/// It depends on the row's id only, so it is the same on every machine and does not move when rows are added.
/// </summary>
internal static class Holdout
{
    /// <summary>Whether the row is in the held-out 20 %.</summary>
    public static bool IsHeldOut(string dataset, string id) => Fnv1a.Hash($"{dataset}:{id}") % 5 == 0;

    /// <summary>A stable order for picking a capped subset of held-out rows.</summary>
    public static uint Order(string dataset, string id) => Fnv1a.Hash($"order:{dataset}:{id}");
}

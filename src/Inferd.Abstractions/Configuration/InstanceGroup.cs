namespace Inferd.Abstractions.Configuration;

/// <summary>Where instances run (ModelInstanceGroup.Kind).</summary>
public enum InstanceKind
{
    /// <summary>GPU when available, else CPU.</summary>
    Auto = 0,
    /// <summary>GPU.</summary>
    Gpu = 1,
    /// <summary>CPU.</summary>
    Cpu = 2,
    /// <summary>As the model decides.</summary>
    Model = 3,
}

/// <summary>An instance group: how many copies of the model run and on what.</summary>
/// <param name="Name">Group name.</param>
/// <param name="Count">Number of instances.</param>
/// <param name="Kind">Device kind.</param>
/// <param name="Gpus">GPU ids for <see cref="InstanceKind.Gpu"/>.</param>
public sealed record InstanceGroup(string Name, int Count, InstanceKind Kind, IReadOnlyList<int> Gpus);

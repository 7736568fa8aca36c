namespace Inferd.Abstractions.Models;

/// <summary>Lifecycle state of one model version, as shown in the repository index.</summary>
public enum ModelState
{
    /// <summary>Not loaded (never, unloaded, or failed: see the reason).</summary>
    Unavailable,
    /// <summary>Being loaded.</summary>
    Loading,
    /// <summary>Serving.</summary>
    Ready,
    /// <summary>Draining in-flight requests before release.</summary>
    Unloading,
}

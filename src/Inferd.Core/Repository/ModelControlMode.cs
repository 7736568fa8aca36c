namespace Inferd.Core.Repository;

/// <summary>How models get loaded (Triton's <c>--model-control-mode</c>).</summary>
public enum ModelControlMode
{
    /// <summary>Load every model at start; the load/unload API is refused.</summary>
    None,
    /// <summary>Load only what the API (or <c>--load-model</c>) asks for.</summary>
    Explicit,
    /// <summary>Load everything at start and watch the folder for changes.</summary>
    Poll,
}

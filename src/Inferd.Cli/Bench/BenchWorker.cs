namespace Inferd.Cli.Bench;

/// <summary>
/// Sends one prebuilt request per call. A worker is used by one loop at a time, so it may keep per-worker buffers;
/// the request itself is built once when the worker is created.
/// </summary>
internal abstract class BenchWorker
{
    /// <summary>Sends the request and waits for the answer.</summary>
    /// <returns>True when the server answered with success.</returns>
    public abstract ValueTask<bool> SendAsync(CancellationToken cancellationToken);
}

namespace Inferd.Cli.Bench;

/// <summary>One bench mode: creates workers and reads the server-side statistics the mode can see.</summary>
internal abstract class BenchTarget : IAsyncDisposable
{
    /// <summary>Items per request: the batch size when the model batches, else 1.</summary>
    public abstract int ItemsPerRequest { get; }

    /// <summary>
    /// True when <see cref="BenchWorker.SendAsync"/> completes synchronously (in-process ONNX Runtime): the runner
    /// then drives it from dedicated threads, one per worker.
    /// </summary>
    public virtual bool IsSynchronous => false;

    /// <summary>Fixed number of workers (raw mode: one per session), or null when the load point decides.</summary>
    public virtual int? FixedWorkers => null;

    /// <summary>Creates a worker with its own prebuilt request. Thread-safe.</summary>
    public abstract BenchWorker CreateWorker();

    /// <summary>Cumulative server statistics of the model, or null when the mode has none.</summary>
    public virtual Task<ServerStats?> ReadStatsAsync(CancellationToken cancellationToken) => Task.FromResult<ServerStats?>(null);

    public abstract ValueTask DisposeAsync();
}

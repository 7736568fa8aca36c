namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// Where prediction records live: SQLite (one file, WAL) by default, or PostgreSQL. The seam exists because there are
/// two real stores; everything above it (the writer, feedback, accuracy, fairness) is store-agnostic.
/// </summary>
public interface IPredictionLogStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgresql".</summary>
    string Kind { get; }

    /// <summary>Creates the schema if needed and, for SQLite, recovers the WAL. Called once before any other member.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends records in one transaction. With <paramref name="durable"/> the commit is flushed to stable storage
    /// before the task completes (SQLite <c>synchronous=FULL</c>; PostgreSQL <c>synchronous_commit=on</c>).
    /// A request id already present is not written twice.
    /// </summary>
    Task AppendAsync(IReadOnlyList<PredictionRecord> records, bool durable, CancellationToken cancellationToken);

    /// <summary>The record of a request id, or null.</summary>
    Task<PredictionRecord?> FindAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>Records matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<PredictionRecord>> QueryAsync(PredictionQuery query, CancellationToken cancellationToken);

    /// <summary>Attaches ground truth to a logged request; false when no record has that id (it may not have been sampled).</summary>
    Task<bool> SetFeedbackAsync(string requestId, string truthJson, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Deletes every record of a caller or one request id (a data-protection request); returns how many went.</summary>
    Task<long> DeleteAsync(string? caller, string? requestId, CancellationToken cancellationToken);

    /// <summary>Deletes records older than <paramref name="olderThan"/>, then the oldest until the log fits <paramref name="maxBytes"/> (0: no cap).</summary>
    Task<long> ApplyRetentionAsync(DateTimeOffset? olderThan, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Current size.</summary>
    Task<PredictionLogSize> MeasureAsync(CancellationToken cancellationToken);
}

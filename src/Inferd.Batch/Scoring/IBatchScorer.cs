using Inferd.Abstractions.Tensors;

namespace Inferd.Batch.Scoring;

/// <summary>
/// Where a batch job's requests go: the in-process facade (<c>InProcessScorer</c>) or a running server over
/// REST or gRPC (<c>RemoteScorer</c>). Both send the same requests, so a job's output does not depend on
/// where it ran. This is the one seam of the batch runner.
/// </summary>
public interface IBatchScorer : IAsyncDisposable
{
    /// <summary>The model the job scores with.</summary>
    ScoringModel Model { get; }

    /// <summary>Runs one request of <paramref name="rows"/> rows (the batch dimension of every input).</summary>
    /// <returns>The outputs, each with <paramref name="rows"/> as dim 0 when the model batches.</returns>
    /// <exception cref="BatchScoringException">The request failed; its <see cref="BatchScoringException.Retryable"/> and <see cref="BatchScoringException.RowsAtFault"/> say what to do.</exception>
    Task<IReadOnlyList<InferenceTensor>> ScoreAsync(IReadOnlyList<InferenceTensor> inputs, int rows, CancellationToken cancellationToken);
}

using Inferd.Abstractions.Backends;

namespace Inferd.Batch.Scoring;

/// <summary>
/// What a batch job needs to know about the model it scores with, read once when the scorer opens.
/// </summary>
/// <param name="Name">Model name.</param>
/// <param name="Version">The version that will run (resolved by the version policy when none was asked for).</param>
/// <param name="Inputs">Inputs with their full shapes; when <see cref="MaxBatchSize"/> is positive dim 0 is the batch.</param>
/// <param name="Outputs">Outputs with their full shapes.</param>
/// <param name="MaxBatchSize">Largest batch the model accepts; 0 when it does not batch (one row per request).</param>
/// <param name="PreferredBatchSize">Rows per request the job sends: the largest preferred size, else the maximum.</param>
/// <param name="Concurrency">Requests the job keeps in flight: the model's instance count (at least 1).</param>
public sealed record ScoringModel(
    string Name,
    string Version,
    IReadOnlyList<TensorSignature> Inputs,
    IReadOnlyList<TensorSignature> Outputs,
    int MaxBatchSize,
    int PreferredBatchSize,
    int Concurrency);

using Inferd.Abstractions.Tensors;
using Inferd.Batch.Scoring;

namespace Inferd.Bench.Batch;

/// <summary>
/// A scorer that answers every request at once with the rows of one real response, so a job run through it costs
/// everything but the model: reading, converting, writing, hashing and committing. The stage profile uses it.
/// </summary>
internal sealed class CannedScorer : IBatchScorer
{
    private readonly IReadOnlyList<InferenceTensor> _outputs;
    private readonly int _rows;
    private readonly Task<IReadOnlyList<InferenceTensor>> _full;

    /// <param name="model">The real scorer's model.</param>
    /// <param name="outputs">A real response of <paramref name="rows"/> rows.</param>
    /// <param name="rows">Rows of <paramref name="outputs"/>: the largest request this scorer answers.</param>
    public CannedScorer(ScoringModel model, IReadOnlyList<InferenceTensor> outputs, int rows)
    {
        Model = model;
        _outputs = outputs;
        _rows = rows;
        _full = Task.FromResult(outputs);
    }

    public ScoringModel Model { get; }

    public Task<IReadOnlyList<InferenceTensor>> ScoreAsync(IReadOnlyList<InferenceTensor> inputs, int rows, CancellationToken cancellationToken)
    {
        if (rows == _rows)
        {
            return _full;
        }

        if (rows > _rows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"the canned response has {_rows} rows");
        }

        // The last request of a shard is shorter: the first rows of the canned response.
        var sliced = _outputs
            .Select(o => new InferenceTensor(o.Name, o.DataType, [rows, .. o.Shape[1..]], o.Data[..(o.Data.Length / _rows * rows)]))
            .ToArray();
        return Task.FromResult<IReadOnlyList<InferenceTensor>>(sliced);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

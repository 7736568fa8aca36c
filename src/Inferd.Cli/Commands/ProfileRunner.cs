using Inferd.Abstractions.Inference;
using Inferd.Batch.Data;
using Inferd.Core.Inference;
using Inferd.Monitoring.Drift;

namespace Inferd.Cli.Commands;

/// <summary>
/// Runs the rows of a data file through a model in process and profiles its inputs and outputs, with the same
/// feature extraction the server's drift monitor applies to live requests.
/// </summary>
internal sealed class ProfileRunner(IInferenceService service, string model, string? version, bool batched, int batchSize)
{
    private const int ErrorsShown = 5;

    private readonly ProfileBuilder _builder = new();
    private readonly List<string> _errors = [];

    /// <summary>The version that answered.</summary>
    public string? Version { get; private set; }

    /// <summary>Rows that could not be converted or that the model refused.</summary>
    public long SkippedRows { get; private set; }

    /// <summary>The first few reasons rows were skipped, with their row numbers.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Rows profiled.</summary>
    public long Rows => _builder.Rows;

    /// <summary>Reads every row of <paramref name="reader"/> and runs them through the model in requests of up to the batch size.</summary>
    public async Task RunAsync(RecordReader reader, IReadOnlyList<ProfileInput> inputs, CancellationToken cancellationToken)
    {
        var pending = new List<ProfileRow>(batchSize);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.RowError is { } rowError)
            {
                Skip(reader.RowNumber, rowError);
                continue;
            }

            if (!ProfileRows.TryConvert(reader, inputs, out var row, out var error))
            {
                Skip(reader.RowNumber, error!);
                continue;
            }

            if (pending.Count > 0 && (pending.Count == batchSize || !ProfileRows.SameShapes(pending[0], row!)))
            {
                await SendAsync(inputs, pending, cancellationToken).ConfigureAwait(false);
                pending.Clear();
            }

            pending.Add(row!);
        }

        if (pending.Count > 0)
        {
            await SendAsync(inputs, pending, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The profile of the rows run so far.</summary>
    public ReferenceProfile Build(DateTimeOffset created) => _builder.Build(model, Version ?? version ?? "", created);

    private async Task SendAsync(IReadOnlyList<ProfileInput> inputs, List<ProfileRow> rows, CancellationToken cancellationToken)
    {
        var tensors = ProfileRows.Tensors(inputs, rows, batched);
        var request = new InferenceRequest(model, version, null, tensors, [], new Dictionary<string, ParameterValue>());
        try
        {
            var response = await service.InferAsync(request, cancellationToken).ConfigureAwait(false);
            Version = response.ModelVersion;
            _builder.Add(FeatureExtractor.Extract(tensors, response.Outputs, batched));
        }
        catch (InferenceException e) when (e.Kind == InferenceErrorKind.InvalidInput)
        {
            if (rows.Count == 1)
            {
                Skip(rows[0].RowNumber, e.Message);
                return;
            }

            // One bad value fails the whole request: run the rows one by one to keep the good ones.
            foreach (var row in rows)
            {
                await SendAsync(inputs, [row], cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Skip(long rowNumber, string reason)
    {
        SkippedRows++;
        if (_errors.Count < ErrorsShown)
        {
            _errors.Add($"row {rowNumber}: {reason}");
        }
    }
}

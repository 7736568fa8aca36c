using System.Diagnostics;
using System.Threading.Channels;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Conversion;
using Inferd.Batch.Data;
using Inferd.Batch.Scoring;

namespace Inferd.Batch.Jobs;

/// <summary>
/// One run of a job: a reader task cuts shards and converts rows into requests (up to the model's instance count in
/// flight), and a writer task writes each shard's answers in row order and commits it. The three stages overlap:
/// while the model scores one request the reader converts the next and the writer formats the one before.
/// </summary>
internal sealed partial class JobRun
{
    private const int MaxAttempts = 6;
    private readonly BatchJobSpec _spec;
    private readonly IBatchScorer _scorer;
    private readonly OutputLayout _layout;
    private readonly ShardManifest _manifest;
    private readonly IReadOnlyList<InputFile> _inputs;
    private readonly IProgress<BatchProgress>? _progress;
    private readonly OutputPlan _outputPlan;
    private readonly bool _rowsAreFiles;
    private readonly int _batchSize;
    private readonly SemaphoreSlim _inFlight;
    private readonly long _bytesTotal;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private long _rowsRead;
    private long _rowsWritten;
    private long _errors;
    private long _rowsSkipped;
    private long _rowsAlreadyDone;
    private long _bytesRead;
    private int _shardsCommitted;
    private int _shardsRedone;
    private long _totalRowsOut;
    private long _totalErrors;
    private long _earlierErrors;
    private readonly long _initialRowsOut;

    public JobRun(BatchJobSpec spec, IBatchScorer scorer, OutputLayout layout, ShardManifest manifest, IReadOnlyList<InputFile> inputs, IProgress<BatchProgress>? progress)
    {
        _spec = spec;
        _scorer = scorer;
        _layout = layout;
        _manifest = manifest;
        _inputs = inputs;
        _progress = progress;
        _rowsAreFiles = inputs.Any(i => i.Format.Name == "files");
        _outputPlan = OutputPlan.Create(scorer.Model, spec, _rowsAreFiles);
        var model = scorer.Model;
        _batchSize = model.MaxBatchSize <= 0 ? 1 : spec.BatchSize > 0 ? Math.Min(spec.BatchSize, model.MaxBatchSize) : model.PreferredBatchSize;
        // Two requests per instance: one running, one converted and waiting, so an instance that frees up never waits
        // for the reader to convert its next request (mlp-wide, 2 instances: 0.61 → 0.66 of raw over CSV).
        _inFlight = new SemaphoreSlim(spec.Concurrency > 0 ? spec.Concurrency : 2 * Math.Max(1, model.Concurrency));
        _bytesTotal = inputs.Sum(i => i.Bytes);
        _totalRowsOut = manifest.Shards.Values.Sum(s => s.RowsOut);
        _totalErrors = manifest.Shards.Values.Sum(s => s.Errors);
        _earlierErrors = _totalErrors;
        _initialRowsOut = _totalRowsOut;
    }

    public IReadOnlyList<OutputColumn> Columns => _outputPlan.Columns;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTimestamp);

    public BatchJobSummary Summary(string? errorsPath) => new(
        _rowsRead, _rowsWritten, _errors, _rowsAlreadyDone, _totalRowsOut, _totalErrors, _shardsCommitted, _shardsRedone, Elapsed, _layout.Output, errorsPath);

    public async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var shards = Channel.CreateBounded<ShardWork>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ReadAsync(shards.Writer, stop.Token), CancellationToken.None);
        var writer = Task.Run(() => WriteAsync(shards.Reader, stop.Token), CancellationToken.None);
        try
        {
            await Task.WhenAll(reader, writer).ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(reader, writer).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);

            // Prefer the root cause over the cancellations it triggered in the other stage.
            var root = new[] { reader, writer }.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
            if (root is not null && !cancellationToken.IsCancellationRequested)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(root).Throw();
            }

            throw;
        }

        if (_spec.MaxErrors is { } max && _totalErrors > max)
        {
            throw new BatchJobException(
                $"stopped: {_totalErrors} rows failed, more than --max-errors {max}; the bad rows are in the errors files in {_layout.PartsFolder}. Fix the input and run the same command again: committed shards are kept");
        }
    }

    // Errors committed by earlier runs plus every error found by this one, committed or not: the reader stops cutting
    // new shards once it passes the limit, and the writer still commits what was cut, so every bad row is listed.
    private bool TooManyErrors => _spec.MaxErrors is { } max && Interlocked.Read(ref _earlierErrors) + Interlocked.Read(ref _errors) > max;

    private async Task ReadAsync(ChannelWriter<ShardWork> shards, CancellationToken cancellationToken)
    {
        try
        {
            long shard = 0;
            long bytesBefore = 0;
            foreach (var input in _inputs)
            {
                using var reader = Open(input);
                var plans = InputMapping.Create(_scorer.Model, reader.Columns, _spec, input.Format.Name == "files");
                var idColumn = _spec.IdColumn is null ? -1 : IndexOf(reader.Columns, _spec.IdColumn, input);
                var leadingBatchDim = _scorer.Model.MaxBatchSize > 0 || _scorer.Model.Inputs.Any(i => i.Shape.Length > 0 && i.Shape[0] == -1);
                while (!TooManyErrors)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var own = shard % _spec.ShardCount == _spec.ShardIndex;
                    var committed = own ? CommittedAndIntact(shard) : null;
                    if (own && committed is null)
                    {
                        if (!reader.Read())
                        {
                            break;
                        }

                        var work = new ShardWork(shard, input.Name, reader.RowNumber);
                        await shards.WriteAsync(work, cancellationToken).ConfigureAwait(false);
                        await ConvertShardAsync(reader, work, plans, idColumn, leadingBatchDim, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        if (!reader.Skip())
                        {
                            break;
                        }

                        var skipped = 1L;
                        while (skipped < _spec.ShardRows && reader.Skip())
                        {
                            skipped++;
                        }

                        Interlocked.Add(ref _rowsSkipped, skipped);
                        if (committed is not null)
                        {
                            if (committed.RowsIn != skipped || committed.InputFile != input.Name)
                            {
                                throw new BatchJobException(
                                    $"the input changed since shard {shard} was committed ({committed.InputFile}: {committed.RowsIn} rows then, {input.Name}: {skipped} now); write to a new output");
                            }

                            Interlocked.Add(ref _rowsAlreadyDone, skipped);
                        }
                    }

                    Volatile.Write(ref _bytesRead, bytesBefore + reader.BytesRead);
                    shard++;
                }

                bytesBefore += input.Bytes;
                Volatile.Write(ref _bytesRead, bytesBefore);
            }

            shards.Complete();
        }
        catch (Exception e)
        {
            shards.Complete(e);
            throw;
        }
    }

    private async Task ConvertShardAsync(RecordReader reader, ShardWork work, InputPlan[] plans, int idColumn, bool leadingBatchDim, CancellationToken cancellationToken)
    {
        var builder = new BatchBuilder(plans, _batchSize, leadingBatchDim);
        try
        {
            var rows = 0L;
            do
            {
                rows++;
                Interlocked.Increment(ref _rowsRead);
                var key = idColumn >= 0 ? reader.GetCell(idColumn).ToString() : reader.RowKey;
                string? error;
                if (reader.RowError is not null)
                {
                    error = reader.RowError;
                }
                else if (idColumn >= 0 && reader.GetCell(idColumn).Kind is CellKind.Missing or CellKind.Null)
                {
                    error = $"the id column '{_spec.IdColumn}' is empty";
                }
                else
                {
                    builder.TryAdd(reader, key, out error);
                }

                if (error is not null)
                {
                    work.AddError(reader.RowNumber, key, error);
                    Interlocked.Increment(ref _errors);
                }

                if (builder.IsFull)
                {
                    await DispatchAsync(work, builder, cancellationToken).ConfigureAwait(false);
                    builder = new BatchBuilder(plans, _batchSize, leadingBatchDim);
                }
            }
            while (rows < _spec.ShardRows && reader.Read());

            work.RowsIn = rows;
            if (builder.Rows > 0)
            {
                await DispatchAsync(work, builder, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                builder.Dispose();
            }

            work.Batches.Writer.Complete();
        }
        catch (Exception e)
        {
            builder.Dispose();
            work.Batches.Writer.Complete(e);
            throw;
        }
    }

    private async Task DispatchAsync(ShardWork work, BatchBuilder builder, CancellationToken cancellationToken)
    {
        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        // On a pool thread: the scheduler runs a full request inline on the calling thread when an instance is idle,
        // which would put ONNX Runtime on the reader's thread and stop reading while the model runs.
        var scored = Task.Run(() => ScoreAsync(work, builder, cancellationToken), CancellationToken.None);
        await work.Batches.Writer.WriteAsync(new PendingBatch(builder.RowNumbers, builder.Keys, scored), cancellationToken).ConfigureAwait(false);
    }

    private async Task<ScoredSegment[]> ScoreAsync(ShardWork work, BatchBuilder builder, CancellationToken cancellationToken)
    {
        try
        {
            var rows = builder.Rows;
            try
            {
                var outputs = await ScoreWithRetryAsync(builder.Tensors(), rows, cancellationToken).ConfigureAwait(false);
                return [new ScoredSegment(0, rows, _outputPlan.Select(outputs, rows))];
            }
            catch (BatchScoringException e) when (e.RowsAtFault)
            {
                // The model refused the request's content: find the bad rows by scoring each row alone.
                var segments = new List<ScoredSegment>();
                if (rows == 1)
                {
                    work.AddError(builder.RowNumbers[0], builder.Keys[0], "the model refused the row: " + e.Message);
                    Interlocked.Increment(ref _errors);
                    return [];
                }

                for (var r = 0; r < rows; r++)
                {
                    try
                    {
                        var outputs = await ScoreWithRetryAsync(builder.Slice(r, 1), 1, cancellationToken).ConfigureAwait(false);
                        segments.Add(new ScoredSegment(r, 1, _outputPlan.Select(outputs, 1)));
                    }
                    catch (BatchScoringException rowError) when (rowError.RowsAtFault)
                    {
                        work.AddError(builder.RowNumbers[r], builder.Keys[r], "the model refused the row: " + rowError.Message);
                        Interlocked.Increment(ref _errors);
                    }
                }

                return [.. segments];
            }
        }
        finally
        {
            builder.Dispose();
            _inFlight.Release();
        }
    }

    private async Task<IReadOnlyList<InferenceTensor>> ScoreWithRetryAsync(IReadOnlyList<InferenceTensor> inputs, int rows, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _scorer.ScoreAsync(inputs, rows, cancellationToken).ConfigureAwait(false);
            }
            catch (BatchScoringException e) when (e.Retryable && attempt < MaxAttempts)
            {
                // 100 ms, 200 ms … 1.6 s: about 3 s in all, enough for a model reload or a full queue to clear.
                await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ShardRecord? CommittedAndIntact(long shard)
    {
        if (!_manifest.Shards.TryGetValue(shard, out var record))
        {
            return null;
        }

        var intact = DurableFile.Matches(_layout.PathOf(record.Part), record.PartBytes, record.PartSha256)
            && (record.ErrorPart is null || DurableFile.Matches(_layout.PathOf(record.ErrorPart), record.ErrorBytes, record.ErrorSha256!));
        if (intact)
        {
            return record;
        }

        // A committed part that is gone or changed is never merged: the shard is scored again and replaces it.
        Interlocked.Increment(ref _shardsRedone);
        Interlocked.Add(ref _totalRowsOut, -record.RowsOut);
        Interlocked.Add(ref _totalErrors, -record.Errors);
        Interlocked.Add(ref _earlierErrors, -record.Errors);
        return null;
    }

    private RecordReader Open(InputFile input)
    {
        try
        {
            return input.Format.OpenReader(input.Path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new BatchJobException($"cannot read input '{input.Name}': {e.Message}", e);
        }
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name, InputFile input)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }

        throw new BatchJobException($"input '{input.Name}' has no id column '{name}' (columns: {string.Join(", ", columns.Take(8))})");
    }
}

using System.Threading.Channels;
using Inferd.Batch.Conversion;

namespace Inferd.Batch.Jobs;

/// <summary>The writer stage: each shard's rows in order into a temporary part, then the commit.</summary>
internal sealed partial class JobRun
{
    private async Task WriteAsync(ChannelReader<ShardWork> shards, CancellationToken cancellationToken)
    {
        await foreach (var work in shards.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await WriteShardAsync(work, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteShardAsync(ShardWork work, CancellationToken cancellationToken)
    {
        var part = _layout.PartName(work.Shard);
        var temp = _layout.TempPathOf(part);
        long rowsOut = 0;
        long partBytes;
        string partHash;
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            await using var hashing = new HashingStream(file);
            using (var writer = _layout.Format.CreateWriter(hashing, _outputPlan.Columns))
            {
                await foreach (var batch in work.Batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    var segments = await batch.Scored.ConfigureAwait(false);
                    foreach (var segment in segments)
                    {
                        var offsets = OutputPlan.BytesOffsets(segment.Outputs);
                        for (var r = 0; r < segment.Count; r++)
                        {
                            var row = segment.First + r;
                            _outputPlan.WriteRow(writer, work.InputName, batch.RowNumbers[row], batch.Keys[row], segment.Outputs, r, offsets);
                        }

                        rowsOut += segment.Count;
                        Interlocked.Add(ref _rowsWritten, segment.Count);
                    }

                    Report();
                }

                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
            partBytes = hashing.Written;
            partHash = hashing.HashHex();
        }

        cancellationToken.ThrowIfCancellationRequested();
        DurableFile.Commit(temp, _layout.PathOf(part));

        var errors = work.Errors();
        string? errorPart = null;
        string? errorHash = null;
        long errorBytes = 0;
        var errorPath = _layout.PathOf(OutputLayout.ErrorPartName(work.Shard));
        if (errors.Length > 0)
        {
            errorPart = OutputLayout.ErrorPartName(work.Shard);
            var errorTemp = _layout.TempPathOf(errorPart);
            await using (var file = new FileStream(errorTemp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await using var hashing = new HashingStream(file);
                ErrorFileWriter.Write(hashing, work.InputName, errors);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                errorBytes = hashing.Written;
                errorHash = hashing.HashHex();
            }

            DurableFile.Commit(errorTemp, errorPath);
        }
        else if (File.Exists(errorPath))
        {
            File.Delete(errorPath); // Left by an attempt that was never committed.
        }

        // The commit point: once this line is on disk the shard is done and a restart skips it.
        _manifest.Append(new ShardRecord(work.Shard, work.InputName, work.FirstRow, work.RowsIn, rowsOut, errors.Length, part, partBytes, partHash, errorPart, errorBytes, errorHash));
        Interlocked.Increment(ref _shardsCommitted);
        Interlocked.Add(ref _totalRowsOut, rowsOut);
        Interlocked.Add(ref _totalErrors, errors.Length);
        Report();
    }

    private void Report() => _progress?.Report(new BatchProgress(
        Interlocked.Read(ref _rowsRead),
        _initialRowsOut + Interlocked.Read(ref _rowsWritten),
        Interlocked.Read(ref _earlierErrors) + Interlocked.Read(ref _errors),
        Interlocked.Read(ref _rowsSkipped),
        Volatile.Read(ref _bytesRead),
        _bytesTotal,
        _manifest.Shards.Count,
        Elapsed));
}

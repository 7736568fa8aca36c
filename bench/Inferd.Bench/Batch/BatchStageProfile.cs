using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Data;

namespace Inferd.Bench.Batch;

/// <summary>
/// Where a batch job's time goes: each stage run alone, once, over the same input — reading, reading with number
/// parsing (what the converter adds for text formats), the whole job with the model replaced by a canned answer, the
/// facade with prepared requests and no files, and writing the output alone. With the raw ONNX Runtime figure they
/// show which stage bounds the job. Single runs: read them as proportions, not as precise times.
/// </summary>
internal sealed class BatchStageProfile(BatchJobHost host, BatchBenchInput input, int batchSize, string work)
{
    /// <summary>Times every stage for each input (format name → file) of <paramref name="rows"/> rows.</summary>
    public async Task<IReadOnlyList<StageTiming>> RunAsync(IReadOnlyDictionary<string, string> inputs, int rows, CancellationToken cancellationToken)
    {
        var batch = BatchTensors(input.Values(batchSize));
        var canned = await host.Scorer.ScoreAsync(batch, batchSize, cancellationToken);
        var timings = new List<StageTiming>();
        foreach (var (format, path) in inputs)
        {
            timings.Add(Time($"{format}: read (RecordReader.Read, GetCell of every field)", () => Read(format, path, parse: false)));
            if (format == "csv")
            {
                timings.Add(Time($"{format}: read + parse every float (float.TryParse, as CellParser)", () => Read(format, path, parse: true)));
            }

            var scorer = new CannedScorer(host.Scorer.Model, canned, batchSize);
            timings.Add(await TimeAsync($"{format}: whole job, canned scorer (read, convert, write, hash, fsync; no model)", async () =>
            {
                var sample = await host.RunAsync(format, path, Path.Combine(work, "profile-" + format), scorer, cancellationToken);
                return sample.Rows;
            }));
        }

        var requests = rows / batchSize;
        timings.Add(await TimeAsync($"facade only: {requests} InferAsync of {batchSize} rows, {Concurrency} in flight, no files", () => FacadeAsync(batch, requests, cancellationToken)));
        timings.Add(await TimeAsync("csv: write the output alone (id + outputs per row, fsync)", () => WriteCsvAsync(canned, rows, cancellationToken)));
        return timings;
    }

    // A job keeps max(2, instances) requests in flight (JobRun): the same here.
    private int Concurrency => Math.Max(2, host.Scorer.Model.Concurrency);

    private static StageTiming Time(string stage, Func<long> action)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = ProcessCpu.Seconds();
        var start = Stopwatch.GetTimestamp();
        var rows = action();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new StageTiming(stage, rows, seconds, ProcessCpu.Seconds() - cpu, (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / Math.Max(1, rows));
    }

    private static async Task<StageTiming> TimeAsync(string stage, Func<Task<long>> action)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = ProcessCpu.Seconds();
        var start = Stopwatch.GetTimestamp();
        var rows = await action();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new StageTiming(stage, rows, seconds, ProcessCpu.Seconds() - cpu, (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / Math.Max(1, rows));
    }

    private static long Read(string format, string path, bool parse)
    {
        using var reader = BatchFormats.ByName(format)!.OpenReader(path);
        var columns = reader.Columns.Count;
        long rows = 0;
        var sink = 0d;
        while (reader.Read())
        {
            rows++;
            for (var c = 0; c < columns; c++)
            {
                var cell = reader.GetCell(c);
                if (parse && cell.Kind == CellKind.Text && float.TryParse(cell.Text.Span.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    sink += value;
                }
                else
                {
                    sink += (int)cell.Kind;
                }
            }
        }

        GC.KeepAlive(sink);
        return rows;
    }

    private async Task<long> FacadeAsync(IReadOnlyList<InferenceTensor> batch, int requests, CancellationToken cancellationToken)
    {
        var model = host.Scorer.Model;
        var request = new InferenceRequest(model.Name, model.Version, null, batch, [], new Dictionary<string, ParameterValue>());
        var next = -1;
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(
            async () =>
            {
                while (Interlocked.Increment(ref next) < requests)
                {
                    await host.Service.InferAsync(request, cancellationToken);
                }
            },
            cancellationToken));
        await Task.WhenAll(workers);
        return (long)requests * batchSize;
    }

    private async Task<long> WriteCsvAsync(IReadOnlyList<InferenceTensor> canned, int rows, CancellationToken cancellationToken)
    {
        var widths = canned.Select(o => (int)(o.ElementCount / batchSize)).ToArray();
        var columns = new List<OutputColumn> { new(BatchBenchInput.IdColumn, OutputKind.Text) };
        columns.AddRange(canned.Select((o, i) => new OutputColumn(o.Name, OutputKind.Float, widths[i])));
        var path = Path.Combine(work, "profile-write.csv");
        Span<char> id = stackalloc char[16];
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using (var writer = BatchFormats.ByName("csv")!.CreateWriter(file, columns))
            {
                for (var r = 0; r < rows; r++)
                {
                    writer.BeginRow();
                    r.TryFormat(id, out var n, default, CultureInfo.InvariantCulture);
                    writer.WriteText(id[..n]);
                    for (var o = 0; o < canned.Count; o++)
                    {
                        var row = r % batchSize;
                        var values = canned[o].Data.Span.Slice(row * widths[o] * sizeof(float), widths[o] * sizeof(float));
                        for (var v = 0; v < widths[o]; v++)
                        {
                            writer.WriteFloat(BinaryPrimitives.ReadSingleLittleEndian(values[(v * sizeof(float))..]));
                        }
                    }

                    writer.EndRow();
                }

                await writer.CompleteAsync(cancellationToken);
            }

            file.Flush(flushToDisk: true);
        }

        File.Delete(path);
        return rows;
    }

    private IReadOnlyList<InferenceTensor> BatchTensors(float[] values)
    {
        var features = values.Length / batchSize;
        return [new InferenceTensor(input.Input, DataType.Fp32, [batchSize, features], MemoryMarshal.AsBytes(values.AsSpan()).ToArray())];
    }
}

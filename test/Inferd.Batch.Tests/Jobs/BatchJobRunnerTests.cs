using Inferd.Abstractions.Tensors;
using Inferd.Batch.Jobs;
using Inferd.Batch.Scoring;
using Inferd.Testing;

namespace Inferd.Batch.Tests.Jobs;

/// <summary>The runner in process with a real ONNX Runtime model: resume, refusal of mixed outputs, retries.</summary>
public sealed class BatchJobRunnerTests
{
    private static BatchJobSpec Spec(string input, string output) => new()
    {
        Model = "mlp",
        Inputs = [input],
        Output = output,
        IdColumn = "id",
        ShardRows = 100,
    };

    [Fact]
    public async Task RunAsync_CancelledMidwayThenRerun_EqualsUninterruptedRun()
    {
        await using var fixture = await ModelFixture.StartAsync();
        var input = fixture.WriteCsv("in.csv", 2_000);
        await using var scorer = fixture.Scorer();
        var reference = Path.Combine(fixture.Root, "ref.csv");
        await BatchJobRunner.RunAsync(Spec(input, reference), scorer, null, CancellationToken.None).DefaultTimeout();

        var output = Path.Combine(fixture.Root, "out.csv");
        using var stop = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.ShardsCommitted >= 7)
            {
                stop.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => BatchJobRunner.RunAsync(Spec(input, output), scorer, progress, stop.Token)).DefaultTimeout();
        Assert.False(File.Exists(output));

        var summary = await BatchJobRunner.RunAsync(Spec(input, output), scorer, null, CancellationToken.None).DefaultTimeout();

        Assert.True(summary.RowsAlreadyDone >= 700, $"{summary.RowsAlreadyDone} rows were done before");
        Assert.Equal(2_000, summary.RowsAlreadyDone + summary.RowsIn);
        Assert.Equal(2_000, summary.TotalRowsOut);
        Assert.Equal(File.ReadAllBytes(reference), File.ReadAllBytes(output));
    }

    [Fact]
    public async Task RunAsync_CompletedSingleFileJob_RerunDoesNothing()
    {
        await using var fixture = await ModelFixture.StartAsync();
        var input = fixture.WriteCsv("in.csv", 300);
        await using var scorer = fixture.Scorer();
        var output = Path.Combine(fixture.Root, "out.csv");
        await BatchJobRunner.RunAsync(Spec(input, output), scorer, null, CancellationToken.None).DefaultTimeout();

        var again = await BatchJobRunner.RunAsync(Spec(input, output), scorer, null, CancellationToken.None).DefaultTimeout();

        Assert.Equal(0, again.RowsIn);
        Assert.Equal(300, again.TotalRowsOut);
    }

    [Fact]
    public async Task RunAsync_SameOutputOtherSettings_Refuses()
    {
        await using var fixture = await ModelFixture.StartAsync();
        var input = fixture.WriteCsv("in.csv", 300);
        await using var scorer = fixture.Scorer();
        var output = Path.Combine(fixture.Root, "out");
        await BatchJobRunner.RunAsync(Spec(input, output), scorer, null, CancellationToken.None).DefaultTimeout();

        var e = await Assert.ThrowsAsync<BatchJobException>(() => BatchJobRunner.RunAsync(Spec(input, output) with { ShardRows = 50 }, scorer, null, CancellationToken.None)).DefaultTimeout();

        Assert.Contains("other settings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InputShrankAfterCommit_Refuses()
    {
        await using var fixture = await ModelFixture.StartAsync();
        var input = fixture.WriteCsv("in.csv", 250);
        await using var scorer = fixture.Scorer();
        var output = Path.Combine(fixture.Root, "out");
        await BatchJobRunner.RunAsync(Spec(input, output), scorer, null, CancellationToken.None).DefaultTimeout();
        fixture.WriteCsv("in.csv", 150);

        var e = await Assert.ThrowsAsync<BatchJobException>(() => BatchJobRunner.RunAsync(Spec(input, output), scorer, null, CancellationToken.None)).DefaultTimeout();

        Assert.Contains("the input changed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LeftoverTemporary_IsDeleted()
    {
        await using var fixture = await ModelFixture.StartAsync();
        var input = fixture.WriteCsv("in.csv", 150);
        await using var scorer = fixture.Scorer();
        var output = Path.Combine(fixture.Root, "out");
        Directory.CreateDirectory(output);
        var torn = Path.Combine(output, ".part-00001.csv.tmp");
        File.WriteAllText(torn, "id,Y_0\nk101,0.");

        await BatchJobRunner.RunAsync(Spec(input, output), scorer, null, CancellationToken.None).DefaultTimeout();

        Assert.False(File.Exists(torn));
        Assert.Equal(["part-00000.csv", "part-00001.csv"], Directory.EnumerateFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ParquetAndJsonlOutputs_HoldTheSameScoresAsCsv()
    {
        await using var fixture = await ModelFixture.StartAsync();
        var input = fixture.WriteCsv("in.csv", 120);
        await using var scorer = fixture.Scorer();
        var csv = Path.Combine(fixture.Root, "out.csv");
        var parquet = Path.Combine(fixture.Root, "out.parquet");
        await BatchJobRunner.RunAsync(Spec(input, csv), scorer, null, CancellationToken.None).DefaultTimeout();
        await BatchJobRunner.RunAsync(Spec(input, parquet), scorer, null, CancellationToken.None).DefaultTimeout();

        // Score the Parquet output's own rows back: the values read from it equal the CSV's text.
        using var reader = BatchFormats.ByName("parquet")!.OpenReader(parquet);
        var csvRows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["id", "Y_0", "Y_1", "Y_2"], reader.Columns);
        var i = 0;
        while (reader.Read())
        {
            Assert.Equal(csvRows[i][0], reader.GetCell(0).ToString());
            for (var c = 1; c <= 3; c++)
            {
                Assert.Equal(float.Parse(csvRows[i][c], System.Globalization.CultureInfo.InvariantCulture), (float)reader.GetCell(c).Number);
            }

            i++;
        }

        Assert.Equal(120, i);
    }

    [Fact]
    public async Task RunAsync_ModelRefusesOneRowOfABatch_OnlyThatRowIsAnError()
    {
        await using var fixture = await ModelFixture.StartAsync();
        var input = fixture.WriteCsv("in.csv", 64);
        var lines = File.ReadAllLines(input);
        lines[10] = "k10,1,2,3,-99"; // The refusing scorer below rejects any request holding -99.
        File.WriteAllLines(input, lines);
        await using var scorer = new RefusingScorer(fixture.Scorer(), -99f);
        var output = Path.Combine(fixture.Root, "out.csv");

        var summary = await BatchJobRunner.RunAsync(Spec(input, output), scorer, null, CancellationToken.None).DefaultTimeout();

        Assert.Equal(63, summary.RowsOut);
        Assert.Equal(1, summary.Errors);
        Assert.Contains("\"key\":\"k10\"", File.ReadAllText(Path.Combine(fixture.Root, "out.errors.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ScorerBusyTwice_RetriesAndCompletes()
    {
        await using var fixture = await ModelFixture.StartAsync();
        var input = fixture.WriteCsv("in.csv", 40);
        await using var scorer = new BusyScorer(fixture.Scorer(), failures: 2);
        var output = Path.Combine(fixture.Root, "out.csv");

        var summary = await BatchJobRunner.RunAsync(Spec(input, output), scorer, null, CancellationToken.None).DefaultTimeout();

        Assert.Equal(40, summary.RowsOut);
        Assert.Equal(2, scorer.Refused);
    }

    /// <summary>Reports on the caller's thread, so a test can cancel at an exact point.</summary>
    private sealed class SynchronousProgress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }

    /// <summary>The real scorer, refusing (as a server would with 400) any request that holds <paramref name="poison"/>.</summary>
    private sealed class RefusingScorer(IBatchScorer inner, float poison) : IBatchScorer
    {
        public ScoringModel Model => inner.Model;

        public Task<IReadOnlyList<InferenceTensor>> ScoreAsync(IReadOnlyList<InferenceTensor> inputs, int rows, CancellationToken cancellationToken) =>
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(inputs[0].Data.Span).Contains(poison)
                ? throw new BatchScoringException("value out of range", retryable: false, rowsAtFault: true)
                : inner.ScoreAsync(inputs, rows, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>The real scorer behind a queue that is full for the first <paramref name="failures"/> requests.</summary>
    private sealed class BusyScorer(IBatchScorer inner, int failures) : IBatchScorer
    {
        private int _calls;

        public int Refused => Math.Min(_calls, failures);

        public ScoringModel Model => inner.Model;

        public Task<IReadOnlyList<InferenceTensor>> ScoreAsync(IReadOnlyList<InferenceTensor> inputs, int rows, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) <= failures
                ? throw new BatchScoringException("queue full", retryable: true, rowsAtFault: false)
                : inner.ScoreAsync(inputs, rows, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

using System.Globalization;
using Inferd.Bench.Batch;
using Inferd.Testing;
using Parquet;

namespace Inferd.Bench.Tests;

/// <summary>The <c>batch</c> verb's core on a tiny input: it runs every path and scores every row (no timing bounds).</summary>
public sealed class BatchBenchTests
{
    [Fact]
    public async Task RunAsync_TinyInput_PrintsPositiveFiguresAndScoresEveryRow()
    {
        // Arrange
        using var dir = new TempDirectory();
        var options = new BatchBenchOptions { Rows = 300, Rounds = 1, RawSeconds = 0.05, WorkFolder = dir.Path, Profile = true };
        using var output = new StringWriter();
        using var progress = new StringWriter();

        // Act
        var report = await new BatchBenchRunner(options, output, progress).RunAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        var printed = output.ToString();
        var rows = printed.Split('\n').Where(l => l.StartsWith("| raw ORT", StringComparison.Ordinal) || l.StartsWith("| csv |", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        foreach (var row in rows)
        {
            // | format | rows | seconds | rows/s | ratio | samples |
            var cells = row.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            Assert.All(cells[1..5], c => Assert.True(double.Parse(c, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0, row));
        }

        Assert.Contains("server session: provider=CPU instances=1 intra_op_threads=", printed, StringComparison.Ordinal);
        Assert.Contains("raw session:    instances=1 intra_op_threads=", printed, StringComparison.Ordinal);
        Assert.All(report.Jobs, j => Assert.Equal((300L, 300L), (j.Rows, j.RowsOut)));
        Assert.All(report.Jobs, j => Assert.True(j.AverageBatch > 0));
        Assert.All(report.Profile, s => Assert.True(s.Seconds > 0 && s.Rows > 0, s.Stage));
        Assert.Equal(64, report.BatchSize);

        var ids = File.ReadLines(Directory.GetFiles(BatchBenchRunner.OutputFolder(dir.Path, "csv"), "part-*.csv").Single())
            .Skip(1)
            .Select(l => int.Parse(l[..l.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(Enumerable.Range(0, 300), ids);
    }

    [Fact]
    public void WriteCsv_SmallInput_HeaderNamesTheInputAndValuesRoundTrip()
    {
        using var dir = new TempDirectory();
        var input = new BatchBenchInput("INPUT0", 3);
        var path = Path.Combine(dir.Path, "in.csv");

        input.WriteCsv(path, 5);

        var lines = File.ReadAllLines(path);
        Assert.Equal("id,INPUT0_0,INPUT0_1,INPUT0_2", lines[0]);
        var values = lines[1..].SelectMany(l => l.Split(',')[1..]).Select(v => float.Parse(v, CultureInfo.InvariantCulture));
        Assert.Equal(input.Values(5), values);
    }

    [Fact]
    public async Task WriteParquetAsync_SmallInput_ReadsBackIdsAndOneListPerRow()
    {
        using var dir = new TempDirectory();
        var input = new BatchBenchInput("INPUT0", 4);
        var path = Path.Combine(dir.Path, "in.parquet");

        await input.WriteParquetAsync(path, 7, CancellationToken.None).DefaultTimeout();

        await using var reader = await ParquetReader.CreateAsync(path).DefaultTimeout();
        var fields = reader.Schema.DataFields;
        Assert.Equal(1, reader.RowGroupCount);
        using var group = reader.OpenRowGroupReader(0);
        var ids = new long[7];
        var values = new float[7 * 4];
        var repetition = new int[values.Length];
        var definition = new int[values.Length];
        await group.ReadAsync<long>(fields[0], ids, null).AsTask().DefaultTimeout();
        await group.ReadRawAsync<float>(fields[1], values, definition, repetition).AsTask().DefaultTimeout();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), ids);
        Assert.Equal(input.Values(7), values);
        Assert.Equal(7, repetition.Count(level => level == 0));
        Assert.All(definition, level => Assert.Equal(fields[1].MaxDefinitionLevel, level));
    }

    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    [InlineData(new double[0], 0.0)]
    public void Median_OddEvenEmpty_MiddleValue(double[] values, double expected)
    {
        Assert.Equal(expected, BatchBenchReport.Median(values));
    }
}

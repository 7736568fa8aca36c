using System.Globalization;
using Inferd.Batch.Formats.Parquet;
using Inferd.Testing;

namespace Inferd.Batch.Tests.Formats;

/// <summary>The Parquet writer: kinds, nulls and vectors round trip; the bytes depend only on the rows; merge keeps order.</summary>
public sealed class ParquetWriterTests
{
    private static readonly OutputColumn[] AllKinds =
    [
        new("id", OutputKind.Text),
        new("row", OutputKind.Integer),
        new("score", OutputKind.Float),
        new("exact", OutputKind.Double),
        new("ok", OutputKind.Boolean),
        new("vec", OutputKind.Float, 3),
    ];

    [Fact]
    public async Task CompleteAsync_AllKindsWithNullsAndVector_ReadsBackSameValues()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "out.parquet");

        // Act
        await WriteAsync(path, AllKinds, [WriteFirst, WriteNulls, WriteEmptyText]);
        using var reader = ParquetFormat.Instance.OpenReader(path);
        var rows = Rows.ReadAll(reader);

        // Assert
        Assert.Equal(["id", "row", "score", "exact", "ok", "vec_0", "vec_1", "vec_2"], reader.Columns);
        Assert.Equal(3, rows.Count);
        Assert.Equal(
            ["Text:a,\"b\"", "Integer:-7", "Number:" + ((double)0.1f).ToString("R", CultureInfo.InvariantCulture), "Number:0.1", "Boolean:true", "Number:1", "Number:2", "Number:3"],
            rows[0]);
        Assert.All(rows[1], cell => Assert.Equal("Null:", cell));
        Assert.Equal(["Text:", "Integer:" + long.MaxValue, "Number:-Infinity", "Number:NaN", "Boolean:false", "Null:", "Number:0.5", "Null:"], rows[2]);
    }

    [Fact]
    public async Task CompleteAsync_SameRowsTwice_IdenticalBytes()
    {
        // Arrange
        using var dir = new TempDirectory();
        var first = Path.Combine(dir.Path, "first.parquet");
        var second = Path.Combine(dir.Path, "second.parquet");

        // Act
        await WriteAsync(first, AllKinds, [WriteFirst, WriteNulls, WriteEmptyText]);
        await WriteAsync(second, AllKinds, [WriteFirst, WriteNulls, WriteEmptyText]);

        // Assert
        Assert.Equal(await File.ReadAllBytesAsync(first), await File.ReadAllBytesAsync(second));
    }

    [Fact]
    public async Task CompleteAsync_NoRows_FileWithColumnsAndNoRows()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "empty.parquet");

        // Act
        await WriteAsync(path, AllKinds, []);
        using var reader = ParquetFormat.Instance.OpenReader(path);

        // Assert
        Assert.Equal(8, reader.Columns.Count);
        Assert.False(reader.Read());
    }

    [Fact]
    public void WriteText_IntegerColumn_ThrowsNamingColumn()
    {
        // Arrange
        using var stream = new MemoryStream();
        using var writer = ParquetFormat.Instance.CreateWriter(stream, [new OutputColumn("row", OutputKind.Integer)]);
        writer.BeginRow();

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => writer.WriteText("x"));

        // Assert
        Assert.Contains("'row'", error.Message);
    }

    [Fact]
    public void EndRow_ValueMissing_Throws()
    {
        // Arrange
        using var stream = new MemoryStream();
        using var writer = ParquetFormat.Instance.CreateWriter(stream, [new OutputColumn("vec", OutputKind.Double, 2)]);
        writer.BeginRow();
        writer.WriteDouble(1);

        // Act + Assert
        Assert.Throws<InvalidOperationException>(writer.EndRow);
    }

    [Fact]
    public async Task CompleteAsync_NumbersIntoOtherNumericAndTextColumns_Converted()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "converted.parquet");
        OutputColumn[] columns = [new("d", OutputKind.Double), new("f", OutputKind.Float), new("t", OutputKind.Text, 2)];

        // Act
        await WriteAsync(path, columns, [w =>
        {
            w.WriteInteger(3);
            w.WriteDouble(0.5);
            w.WriteFloat(1.5f);
            w.WriteBoolean(true);
        }]);
        using var reader = ParquetFormat.Instance.OpenReader(path);

        // Assert
        Assert.Equal([["Number:3", "Number:0.5", "Text:1.5", "Text:true"]], Rows.ReadAll(reader));
    }

    [Fact]
    public async Task MergeAsync_ThreeParts_RowsInOrderWithNulls()
    {
        // Arrange
        using var dir = new TempDirectory();
        OutputColumn[] columns = [new("id", OutputKind.Text), new("p", OutputKind.Double, 2)];
        var parts = new List<string>();
        var next = 0;
        foreach (var count in new[] { 2, 1, 3 })
        {
            var part = Path.Combine(dir.Path, $"part-{parts.Count}.parquet");
            var rows = new List<Action<RecordWriter>>();
            for (var i = 0; i < count; i++, next++)
            {
                var n = next;
                rows.Add(w =>
                {
                    w.WriteText("r" + n);
                    w.WriteDouble(n);
                    if (n % 2 == 0)
                    {
                        w.WriteNull();
                    }
                    else
                    {
                        w.WriteDouble(-n);
                    }
                });
            }

            await WriteAsync(part, columns, rows);
            parts.Add(part);
        }

        var merged = Path.Combine(dir.Path, "merged.parquet");

        // Act
        await using (var destination = new FileStream(merged, FileMode.CreateNew, FileAccess.Write))
        {
            await ParquetFormat.Instance.MergeAsync(parts, destination, TestContext.Current.CancellationToken).DefaultTimeout();
        }

        using var reader = ParquetFormat.Instance.OpenReader(merged);
        var read = Rows.ReadAll(reader);

        // Assert
        Assert.Equal(["id", "p_0", "p_1"], reader.Columns);
        Assert.Equal(
            Enumerable.Range(0, 6).Select(n => new[] { "Text:r" + n, "Number:" + n, n % 2 == 0 ? "Null:" : "Number:" + (-n) }),
            read);
        Assert.Equal(6, reader.RowNumber);
    }

    [Fact]
    public async Task MergeAsync_PartsWithOtherColumns_ThrowsInvalidData()
    {
        // Arrange
        using var dir = new TempDirectory();
        var first = Path.Combine(dir.Path, "a.parquet");
        var second = Path.Combine(dir.Path, "b.parquet");
        await WriteAsync(first, [new("x", OutputKind.Integer)], [w => w.WriteInteger(1)]);
        await WriteAsync(second, [new("y", OutputKind.Integer)], [w => w.WriteInteger(2)]);
        using var destination = new MemoryStream();

        // Act
        var error = await Assert.ThrowsAsync<InvalidDataException>(
            () => ParquetFormat.Instance.MergeAsync([first, second], destination, TestContext.Current.CancellationToken)).DefaultTimeout();

        // Assert
        Assert.Contains("b.parquet", error.Message);
    }

    private static void WriteFirst(RecordWriter w)
    {
        w.WriteText("a,\"b\"");
        w.WriteInteger(-7);
        w.WriteFloat(0.1f);
        w.WriteDouble(0.1);
        w.WriteBoolean(true);
        w.WriteFloat(1);
        w.WriteFloat(2);
        w.WriteFloat(3);
    }

    private static void WriteNulls(RecordWriter w)
    {
        for (var i = 0; i < 8; i++)
        {
            w.WriteNull();
        }
    }

    private static void WriteEmptyText(RecordWriter w)
    {
        w.WriteText("");
        w.WriteInteger(long.MaxValue);
        w.WriteFloat(float.NegativeInfinity);
        w.WriteDouble(double.NaN);
        w.WriteBoolean(false);
        w.WriteNull();
        w.WriteFloat(0.5f);
        w.WriteNull();
    }

    private static async Task WriteAsync(string path, IReadOnlyList<OutputColumn> columns, IEnumerable<Action<RecordWriter>> rows)
    {
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        using var writer = ParquetFormat.Instance.CreateWriter(stream, columns);
        foreach (var row in rows)
        {
            writer.BeginRow();
            row(writer);
            writer.EndRow();
        }

        await writer.CompleteAsync(TestContext.Current.CancellationToken).DefaultTimeout();
    }
}

using System.Text;
using Inferd.Batch.Formats.Csv;
using Inferd.Testing;

namespace Inferd.Batch.Tests.Formats;

/// <summary>CSV: RFC 4180 quoting both ways, row errors, blank lines, vectors over numbered columns, merge.</summary>
public sealed class CsvFormatTests
{
    [Fact]
    public void Read_QuotedFieldsWithCommasQuotesAndNewlines_Unquoted()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = WriteFile(dir, "id, text ,n\r\n1,\"a, b\",2\r\n2,\"say \"\"hi\"\"\",3\n3,\"two\nlines\",\n");

        // Act
        using var reader = CsvFormat.Instance.OpenReader(path);
        var rows = Rows.ReadAll(reader);

        // Assert
        Assert.Equal(["id", "text", "n"], reader.Columns);
        Assert.Equal(
            [
                ["Text:1", "Text:a, b", "Text:2"],
                ["Text:2", "Text:say \"hi\"", "Text:3"],
                ["Text:3", "Text:two\nlines", "Null:"],
            ],
            rows);
    }

    [Fact]
    public void Read_BlankLines_Skipped()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = WriteFile(dir, "\n\na\n\n1\n\r\n2\n\n");

        // Act
        using var reader = CsvFormat.Instance.OpenReader(path);
        var rows = Rows.ReadAll(reader);

        // Assert
        Assert.Equal(["a"], reader.Columns);
        Assert.Equal([["Text:1"], ["Text:2"]], rows);
        Assert.Equal(2, reader.RowNumber);
    }

    [Fact]
    public void Read_FieldCountMismatch_RowReturnedWithError()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = WriteFile(dir, "a,b\n1\n1,2,3\n4,5\n");
        using var reader = CsvFormat.Instance.OpenReader(path);

        // Act
        var errors = new List<string?>();
        while (reader.Read())
        {
            errors.Add(reader.RowError);
        }

        // Assert
        Assert.Equal(["the row has 1 fields, the header has 2", "the row has 3 fields, the header has 2", null], errors);
    }

    [Fact]
    public void Read_ShortRow_MissingCellsPastTheEnd()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = WriteFile(dir, "a,b\n1\n");
        using var reader = CsvFormat.Instance.OpenReader(path);

        // Act
        reader.Read();

        // Assert
        Assert.Equal(CellKind.Text, reader.GetCell(0).Kind);
        Assert.Equal(CellKind.Missing, reader.GetCell(1).Kind);
    }

    [Fact]
    public void Read_UnclosedQuote_RowError()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = WriteFile(dir, "a,b\n1,\"never closed\n");
        using var reader = CsvFormat.Instance.OpenReader(path);

        // Act
        var read = reader.Read();

        // Assert
        Assert.True(read);
        Assert.Contains("not closed", reader.RowError);
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task Write_VectorAndSpecialText_HeaderNumberedAndFieldsQuoted()
    {
        // Arrange
        using var stream = new MemoryStream();
        using var writer = CsvFormat.Instance.CreateWriter(stream, [new("id", OutputKind.Text), new("p", OutputKind.Float, 2), new("ok", OutputKind.Boolean)]);

        // Act
        writer.BeginRow();
        writer.WriteText("a,\"b\"\nc");
        writer.WriteFloat(0.1f);
        writer.WriteNull();
        writer.WriteBoolean(true);
        writer.EndRow();
        await writer.CompleteAsync(TestContext.Current.CancellationToken).DefaultTimeout();

        // Assert
        Assert.Equal("id,p_0,p_1,ok\n\"a,\"\"b\"\"\nc\",0.1,,true\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task WriteThenRead_SpecialText_RoundTrips()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "out.csv");
        string[] texts = ["plain", "a,b", "quote \" inside", "line\nbreak", "\"", ""];
        await using (var stream = File.Create(path))
        {
            using var writer = CsvFormat.Instance.CreateWriter(stream, [new("t", OutputKind.Text), new("n", OutputKind.Integer)]);
            foreach (var text in texts)
            {
                writer.BeginRow();
                writer.WriteText(text);
                writer.WriteInteger(-1);
                writer.EndRow();
            }

            await writer.CompleteAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        }

        // Act
        using var reader = CsvFormat.Instance.OpenReader(path);
        var rows = Rows.ReadAll(reader);

        // Assert: an empty field reads as null, which is how CSV writes a null too.
        Assert.Equal(texts.Select(t => new[] { t.Length == 0 ? "Null:" : "Text:" + t, "Text:-1" }), rows);
    }

    [Fact]
    public async Task MergeAsync_ThreeParts_OneHeaderRowsInOrder()
    {
        // Arrange
        using var dir = new TempDirectory();
        string[] parts = [WriteFile(dir, "0.csv", "a,b\n1,2\n"), WriteFile(dir, "1.csv", "a,b\n"), WriteFile(dir, "2.csv", "a,b\n3,4\n5,6\n")];
        using var destination = new MemoryStream();

        // Act
        await CsvFormat.Instance.MergeAsync(parts, destination, TestContext.Current.CancellationToken).DefaultTimeout();

        // Assert
        Assert.Equal("a,b\n1,2\n3,4\n5,6\n", Encoding.UTF8.GetString(destination.ToArray()));
    }

    private static string WriteFile(TempDirectory dir, string content) => WriteFile(dir, "input.csv", content);

    private static string WriteFile(TempDirectory dir, string name, string content)
    {
        var path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, content);
        return path;
    }
}

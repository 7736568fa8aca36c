using System.Text;
using Inferd.Batch.Formats.Jsonl;
using Inferd.Testing;

namespace Inferd.Batch.Tests.Formats;

/// <summary>JSON Lines: columns from the first object, missing keys, bad lines as row errors, vectors as arrays.</summary>
public sealed class JsonlFormatTests
{
    [Fact]
    public void Read_ValuesOfEveryKind_CellsOfMatchingKinds()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = WriteFile(dir, """
            {"s": "text", "i": 42, "d": 1.5, "b": true, "n": null, "a": [1, [2.5], "x"], "o": {"k": 1}}
            """);

        // Act
        using var reader = JsonlFormat.Instance.OpenReader(path);
        var rows = Rows.ReadAll(reader);

        // Assert
        Assert.Equal(["s", "i", "d", "b", "n", "a", "o"], reader.Columns);
        Assert.Equal(
            [["Text:text", "Integer:42", "Number:1.5", "Boolean:true", "Null:", "List:[Integer:1,List:[Number:2.5],Text:x]", "Text:{\"k\": 1}"]],
            rows);
    }

    [Fact]
    public void Read_LaterLineWithoutKeyOrWithExtraKey_MissingCellAndExtraIgnored()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = WriteFile(dir, "{\"a\": 1, \"b\": 2}\n{\"b\": 3, \"c\": 4}\n");

        // Act
        using var reader = JsonlFormat.Instance.OpenReader(path);
        var rows = Rows.ReadAll(reader);

        // Assert
        Assert.Equal(["a", "b"], reader.Columns);
        Assert.Equal([["Integer:1", "Integer:2"], ["Missing:", "Integer:3"]], rows);
    }

    [Fact]
    public void Read_NonObjectAndInvalidLines_RowsReturnedWithErrors()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = WriteFile(dir, "{\"a\": 1}\n[1, 2]\n\n   \n{\"a\": \n\"text\"\n{\"a\": 2}\n");
        using var reader = JsonlFormat.Instance.OpenReader(path);

        // Act
        var results = new List<(long Row, string? Error)>();
        while (reader.Read())
        {
            results.Add((reader.RowNumber, reader.RowError));
        }

        // Assert: blank lines are no rows; every other line is one, good or bad.
        Assert.Equal([1L, 2L, 3L, 4L, 5L], results.Select(r => r.Row));
        Assert.Null(results[0].Error);
        Assert.Equal("the line is a JSON array, not an object", results[1].Error);
        Assert.StartsWith("the line is not valid JSON", results[2].Error);
        Assert.Equal("the line is a JSON string, not an object", results[3].Error);
        Assert.Null(results[4].Error);
    }

    [Fact]
    public async Task Write_VectorNullAndNonFinite_ArrayNullAndString()
    {
        // Arrange
        using var stream = new MemoryStream();
        using var writer = JsonlFormat.Instance.CreateWriter(stream, [new("id", OutputKind.Text), new("p", OutputKind.Double, 3), new("n", OutputKind.Integer)]);

        // Act
        writer.BeginRow();
        writer.WriteText("a\"b");
        writer.WriteDouble(0.25);
        writer.WriteDouble(double.NaN);
        writer.WriteNull();
        writer.WriteInteger(7);
        writer.EndRow();
        await writer.CompleteAsync(TestContext.Current.CancellationToken).DefaultTimeout();

        // Assert
        Assert.Equal("{\"id\":\"a\\\"b\",\"p\":[0.25,\"NaN\",null],\"n\":7}\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task WriteThenRead_VectorColumn_ReadsAsList()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "out.jsonl");
        await using (var stream = File.Create(path))
        {
            using var writer = JsonlFormat.Instance.CreateWriter(stream, [new("v", OutputKind.Float, 2), new("ok", OutputKind.Boolean)]);
            for (var i = 0; i < 2; i++)
            {
                writer.BeginRow();
                writer.WriteFloat(i);
                writer.WriteFloat(0.5f);
                writer.WriteBoolean(i == 0);
                writer.EndRow();
            }

            await writer.CompleteAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        }

        // Act
        using var reader = JsonlFormat.Instance.OpenReader(path);
        var rows = Rows.ReadAll(reader);

        // Assert
        Assert.Equal([["List:[Integer:0,Number:0.5]", "Boolean:true"], ["List:[Integer:1,Number:0.5]", "Boolean:false"]], rows);
    }

    [Fact]
    public async Task MergeAsync_TwoParts_Concatenated()
    {
        // Arrange
        using var dir = new TempDirectory();
        string[] parts = [WriteFile(dir, "0.jsonl", "{\"a\":1}\n"), WriteFile(dir, "1.jsonl", "{\"a\":2}\n{\"a\":3}\n")];
        using var destination = new MemoryStream();

        // Act
        await JsonlFormat.Instance.MergeAsync(parts, destination, TestContext.Current.CancellationToken).DefaultTimeout();

        // Assert
        Assert.Equal("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n", Encoding.UTF8.GetString(destination.ToArray()));
    }

    private static string WriteFile(TempDirectory dir, string content) => WriteFile(dir, "input.jsonl", content);

    private static string WriteFile(TempDirectory dir, string name, string content)
    {
        var path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, content);
        return path;
    }
}

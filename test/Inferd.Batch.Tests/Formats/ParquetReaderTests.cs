using Inferd.Batch.Formats.Parquet;
using Inferd.Testing;
using Parquet;
using Parquet.Schema;

namespace Inferd.Batch.Tests.Formats;

/// <summary>
/// The Parquet reader over a file written with Parquet.Net directly: two row groups, nulls, lists (null, empty, with
/// null elements), legacy repeated fields, bytes and timestamps; structs are left out.
/// </summary>
public sealed class ParquetReaderTests
{
    private static readonly DataField<int> Id = new("id");
    private static readonly DataField<string> Name = new("name", nullable: true);
    private static readonly ListField Tags = new("tags", new DataField<string>("element", nullable: true));
    private static readonly ListField Scores = new("scores", new DataField<double?>("element"));
    private static readonly DataField<int[]> Legacy = new("legacy");
    private static readonly DataField<byte[]> Blob = new("blob", nullable: true);
    private static readonly DataField<DateTime?> When = new("when");
    private static readonly DataField<short> Small = new("small");
    private static readonly DataField<bool?> Flag = new("flag");
    private static readonly StructField Point = new("point", new DataField<int>("x"));

    private static readonly string[][] Expected =
    [
        ["Integer:1", "Text:a", "List:[Text:x,Text:y]", "List:[Number:1.5]", "List:[Integer:7,Integer:8]", "Bytes:0102", "Text:2024-01-02T03:04:05.0000000Z", "Integer:-3", "Boolean:true"],
        ["Integer:2", "Null:", "Null:", "List:[Null:,Number:2]", "List:[]", "Null:", "Null:", "Integer:0", "Null:"],
        ["Integer:3", "Text:c", "List:[]", "Null:", "List:[Integer:9]", "Bytes:", "Text:1970-01-01T00:00:00.0000000Z", "Integer:32767", "Boolean:false"],
        ["Integer:4", "Text:d", "List:[Text:z]", "List:[]", "List:[]", "Bytes:FF", "Null:", "Integer:4", "Boolean:true"],
        ["Integer:5", "Text:", "List:[Null:]", "List:[Number:3]", "List:[Integer:1]", "Null:", "Null:", "Integer:5", "Null:"],
    ];

    [Fact]
    public async Task Read_TwoRowGroupsWithListsAndNulls_RowsInOrder()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = await WriteTwoRowGroupsAsync(dir.Path);

        // Act
        using var reader = ParquetFormat.Instance.OpenReader(path);
        var rows = Rows.ReadAll(reader);

        // Assert
        Assert.Equal(["id", "name", "tags", "scores", "legacy", "blob", "when", "small", "flag"], reader.Columns);
        Assert.Equal(Expected, rows);
        Assert.Equal(5, reader.RowNumber);
        Assert.Null(reader.RowError);
        Assert.Null(reader.RowKey);
    }

    [Fact]
    public async Task Skip_AcrossRowGroupBoundary_ReadsTheRowAfter()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = await WriteTwoRowGroupsAsync(dir.Path);
        using var reader = ParquetFormat.Instance.OpenReader(path);

        // Act
        Assert.True(reader.Read());
        var first = Rows.Current(reader);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(reader.Skip());
        }

        var skippedTo = reader.BytesRead;
        Assert.True(reader.Read());
        var fifth = Rows.Current(reader);
        var more = reader.Read();

        // Assert
        Assert.Equal(Expected[0], first);
        Assert.Equal(Expected[4], fifth);
        Assert.False(more);
        Assert.Equal(5, reader.RowNumber);
        Assert.InRange(skippedTo, 1, new FileInfo(path).Length - 1);
        Assert.Equal(new FileInfo(path).Length, reader.BytesRead);
    }

    [Fact]
    public async Task Skip_WholeFirstRowGroup_SecondGroupReadsCorrectly()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = await WriteTwoRowGroupsAsync(dir.Path);
        using var reader = ParquetFormat.Instance.OpenReader(path);

        // Act
        for (var i = 0; i < 3; i++)
        {
            Assert.True(reader.Skip());
        }

        var rest = Rows.ReadAll(reader);

        // Assert
        Assert.Equal(Expected[3..], rest);
    }

    [Theory]
    [InlineData("id,name\n1,a\n")]
    [InlineData("")]
    [InlineData("PAR1 but nothing after the magic")]
    public async Task OpenReader_NotParquet_ThrowsInvalidDataNamingFile(string content)
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "notes.parquet");
        await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);

        // Act
        var error = Assert.Throws<InvalidDataException>(() => ParquetFormat.Instance.OpenReader(path));

        // Assert
        Assert.Contains("notes.parquet", error.Message);
    }

    [Fact]
    public async Task OpenReader_TruncatedFile_ThrowsInvalidData()
    {
        // Arrange
        using var dir = new TempDirectory();
        var path = await WriteTwoRowGroupsAsync(dir.Path);
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(path, bytes[..^20], TestContext.Current.CancellationToken);

        // Act + Assert
        Assert.Throws<InvalidDataException>(() => ParquetFormat.Instance.OpenReader(path));
    }

    [Fact]
    public void BatchFormats_ParquetAndFiles_RegisteredByNameAndExtension()
    {
        Assert.Same(ParquetFormat.Instance, BatchFormats.ByName("Parquet"));
        Assert.Same(ParquetFormat.Instance, BatchFormats.ByExtension("/data/part-0.PARQUET"));
        Assert.Same(Inferd.Batch.Formats.Files.FolderFormat.Instance, BatchFormats.ByName("files"));
        Assert.Equal(["csv", "jsonl", "parquet", "files"], BatchFormats.All.Select(f => f.Name));
    }

    private static async Task<string> WriteTwoRowGroupsAsync(string folder)
    {
        var path = Path.Combine(folder, "input.parquet");
        var ct = TestContext.Current.CancellationToken;
        var tags = (DataField)Tags.Item;
        var scores = (DataField)Scores.Item;
        var x = (DataField)Point.Fields[0];
        var schema = new ParquetSchema(Id, Name, Tags, Scores, Legacy, Blob, When, Small, Flag, Point);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: ct);

        // Definition levels of a nullable list of nullable items: 0 null list, 1 empty list, 2 null item, 3 item.
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync<int>(Id, new[] { 1, 2, 3 }.AsMemory(), cancellationToken: ct);
            await group.WriteAsync(Name, new[] { "a", null, "c" }!);
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(tags, new[] { "x".AsMemory(), "y".AsMemory() }, new[] { 3, 3, 0, 1 }, new[] { 0, 1, 0, 0 }, ct);
            await group.WriteAllPartsAsync<double>(scores, new[] { 1.5, 2 }, new[] { 3, 2, 3, 0 }, new[] { 0, 0, 1, 0 }, ct);
            await group.WriteAllPartsAsync<int>(Legacy, new[] { 7, 8, 9 }, new[] { 1, 1, 0, 1 }, new[] { 0, 1, 0, 0 }, ct);
            await group.WriteAsync(Blob, new byte[]?[] { [1, 2], null, [] }!);
            await group.WriteAsync<DateTime>(When, new DateTime?[] { new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc), null, DateTime.UnixEpoch }.AsMemory(), cancellationToken: ct);
            await group.WriteAsync<short>(Small, new short[] { -3, 0, short.MaxValue }.AsMemory(), cancellationToken: ct);
            await group.WriteAsync<bool>(Flag, new bool?[] { true, null, false }.AsMemory(), cancellationToken: ct);
            await group.WriteAllPartsAsync<int>(x, new[] { 1, 2, 3 }, new[] { 1, 1, 1 }, null, ct);
        }

        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync<int>(Id, new[] { 4, 5 }.AsMemory(), cancellationToken: ct);
            await group.WriteAsync(Name, new[] { "d", "" });
            await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(tags, new[] { "z".AsMemory() }, new[] { 3, 2 }, new[] { 0, 0 }, ct);
            await group.WriteAllPartsAsync<double>(scores, new[] { 3.0 }, new[] { 1, 3 }, new[] { 0, 0 }, ct);
            await group.WriteAllPartsAsync<int>(Legacy, new[] { 1 }, new[] { 0, 1 }, new[] { 0, 0 }, ct);
            await group.WriteAsync(Blob, new byte[]?[] { [0xFF], null }!);
            await group.WriteAsync<DateTime>(When, new DateTime?[] { null, null }.AsMemory(), cancellationToken: ct);
            await group.WriteAsync<short>(Small, new short[] { 4, 5 }.AsMemory(), cancellationToken: ct);
            await group.WriteAsync<bool>(Flag, new bool?[] { true, null }.AsMemory(), cancellationToken: ct);
            await group.WriteAllPartsAsync<int>(x, new[] { 4, 5 }, new[] { 1, 1 }, null, ct);
        }

        return path;
    }
}

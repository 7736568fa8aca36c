using System.Text;
using Inferd.Batch.Formats.Files;
using Inferd.Testing;

namespace Inferd.Batch.Tests.Formats;

/// <summary>The folder-of-files input: order, hidden files, keys, cheap skips and per-file errors.</summary>
public sealed class FolderFormatTests
{
    [Fact]
    public void Read_NestedFolders_OneRowPerFileInOrdinalPathOrder()
    {
        // Arrange
        using var dir = new TempDirectory();
        Write(dir, "b.txt", "bee");
        Write(dir, "a/z.txt", "zed");
        Write(dir, "a/b/c.txt", "sea");
        Write(dir, "B.txt", "big bee");
        Write(dir, "a.txt", "ay");

        // Act
        using var reader = FolderFormat.Instance.OpenReader(dir.Path);
        var keys = new List<string?>();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            keys.Add(reader.RowKey);
            rows.Add(Rows.Current(reader));
        }

        // Assert: ordinal puts upper case first and '.' (0x2E) before '/' (0x2F).
        Assert.Equal(["file", "content"], reader.Columns);
        Assert.Equal(["B.txt", "a.txt", "a/b/c.txt", "a/z.txt", "b.txt"], keys);
        Assert.Equal(["Text:a/b/c.txt", "Bytes:" + Convert.ToHexString("sea"u8)], rows[2]);
        Assert.Equal(5, reader.RowNumber);
        Assert.Null(reader.RowError);
    }

    [Fact]
    public void Read_FolderPathWithTrailingSeparator_SameRelativePaths()
    {
        // Arrange
        using var dir = new TempDirectory();
        Write(dir, "top.txt", "x");
        Write(dir, "sub/inner.txt", "y");

        // Act
        using var reader = FolderFormat.Instance.OpenReader(dir.Path + Path.DirectorySeparatorChar);
        var keys = Rows.ReadAll(reader).Select(row => row[0]);

        // Assert
        Assert.Equal(["Text:sub/inner.txt", "Text:top.txt"], keys);
    }

    [Fact]
    public void Read_HiddenFilesAndFolders_LeftOut()
    {
        // Arrange
        using var dir = new TempDirectory();
        Write(dir, ".hidden", "x");
        Write(dir, ".git/config", "x");
        Write(dir, "sub/.DS_Store", "x");
        Write(dir, "sub/.cache/deep.txt", "x");
        Write(dir, "sub/kept.txt", "x");
        Write(dir, "kept.txt", "x");

        // Act
        using var reader = FolderFormat.Instance.OpenReader(dir.Path);
        var keys = Rows.ReadAll(reader).Select(row => row[0]);

        // Assert
        Assert.Equal(["Text:kept.txt", "Text:sub/kept.txt"], keys);
    }

    [Fact]
    public void Skip_UnreadableFile_NoErrorBecauseContentIsNotRead()
    {
        // Arrange: a dangling symbolic link cannot be opened, even by root.
        using var dir = new TempDirectory();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "a-broken.bin"), Path.Combine(dir.Path, "missing", "target.bin"));
        Write(dir, "b.txt", "bee");
        using var reader = FolderFormat.Instance.OpenReader(dir.Path);

        // Act
        var skipped = reader.Skip();
        var skippedKey = reader.RowKey;
        var skippedError = reader.RowError;
        reader.Read();

        // Assert
        Assert.True(skipped);
        Assert.Equal("a-broken.bin", skippedKey);
        Assert.Null(skippedError);
        Assert.Equal("b.txt", reader.RowKey);
        Assert.Equal(2, reader.RowNumber);
        Assert.Equal("bee", Encoding.UTF8.GetString(reader.GetCell(1).Bytes.Span));
    }

    [Fact]
    public void Read_UnreadableFile_RowReturnedWithErrorNamingFile()
    {
        // Arrange
        using var dir = new TempDirectory();
        File.CreateSymbolicLink(Path.Combine(dir.Path, "broken.bin"), Path.Combine(dir.Path, "missing", "target.bin"));
        using var reader = FolderFormat.Instance.OpenReader(dir.Path);

        // Act
        var read = reader.Read();

        // Assert
        Assert.True(read);
        Assert.StartsWith("cannot read broken.bin: ", reader.RowError);
        Assert.Equal("broken.bin", reader.RowKey);
        Assert.Equal(CellKind.Null, reader.GetCell(1).Kind);
        Assert.False(reader.Read());
    }

    [Fact]
    public void Read_FileOverSizeLimit_RowErrorNamesLimit()
    {
        // Arrange: a sparse file, so the size costs no disk.
        using var dir = new TempDirectory();
        using (var big = File.Create(Path.Combine(dir.Path, "big.bin")))
        {
            big.SetLength(FolderRecordReader.MaxFileBytes + 1);
        }

        using var reader = FolderFormat.Instance.OpenReader(dir.Path);

        // Act
        reader.Read();

        // Assert
        Assert.Contains("big.bin", reader.RowError);
        Assert.Contains("64 MiB", reader.RowError);
        Assert.Equal(CellKind.Null, reader.GetCell(1).Kind);
        Assert.Equal(FolderRecordReader.MaxFileBytes + 1, reader.BytesRead);
    }

    [Fact]
    public void BytesRead_ReadAndSkip_SumOfSizesPassed()
    {
        // Arrange
        using var dir = new TempDirectory();
        Write(dir, "1", "a");
        Write(dir, "2", "bb");
        Write(dir, "3", "cccc");
        using var reader = FolderFormat.Instance.OpenReader(dir.Path);

        // Act
        var before = reader.BytesRead;
        reader.Read();
        var afterFirst = reader.BytesRead;
        reader.Skip();
        var afterSecond = reader.BytesRead;
        reader.Read();

        // Assert
        Assert.Equal([0L, 1L, 3L, 7L], [before, afterFirst, afterSecond, reader.BytesRead]);
    }

    [Fact]
    public void OpenReader_EmptyFolder_NoRows()
    {
        using var dir = new TempDirectory();
        using var reader = FolderFormat.Instance.OpenReader(dir.Path);
        Assert.False(reader.Read());
        Assert.Null(reader.RowKey);
    }

    [Fact]
    public void OpenReader_PathIsAFile_ThrowsInvalidData()
    {
        using var dir = new TempDirectory();
        Write(dir, "input.csv", "a\n1\n");
        Assert.Throws<InvalidDataException>(() => FolderFormat.Instance.OpenReader(Path.Combine(dir.Path, "input.csv")));
    }

    [Fact]
    public void OpenReader_MissingFolder_ThrowsDirectoryNotFound()
    {
        using var dir = new TempDirectory();
        Assert.Throws<DirectoryNotFoundException>(() => FolderFormat.Instance.OpenReader(Path.Combine(dir.Path, "nope")));
    }

    [Fact]
    public async Task WriterAndMerge_InputOnlyFormat_ThrowNotSupported()
    {
        using var stream = new MemoryStream();
        Assert.False(FolderFormat.Instance.CanWrite);
        Assert.Empty(FolderFormat.Instance.Extensions);
        Assert.Throws<NotSupportedException>(() => FolderFormat.Instance.CreateWriter(stream, [new OutputColumn("x", OutputKind.Text)]));
        await Assert.ThrowsAsync<NotSupportedException>(() => FolderFormat.Instance.MergeAsync(["a"], stream, TestContext.Current.CancellationToken)).DefaultTimeout();
    }

    private static void Write(TempDirectory dir, string relativePath, string content)
    {
        var path = Path.Combine(dir.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}

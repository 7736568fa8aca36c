using System.IO.Enumeration;
using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Files;

/// <summary>
/// Reads a folder as rows, one per file. The file list is taken and sorted when the reader opens, so the row order
/// (and with it the shards) does not depend on the file system's enumeration order. A file's content is read by
/// <see cref="Read"/> into one reused buffer; <see cref="Skip"/> reads nothing. A file that cannot be read, or is over
/// <see cref="MaxFileBytes"/>, is still a row, with <see cref="RecordReader.RowError"/> set.
/// </summary>
internal sealed class FolderRecordReader : RecordReader
{
    /// <summary>The largest file read: model inputs (images, documents) are far smaller, and a row is held in memory.</summary>
    public const long MaxFileBytes = 64L << 20;

    private static readonly string[] ColumnNames = ["file", "content"];
    private readonly string _root;
    private readonly FolderEntry[] _files;
    private int _index = -1;
    private long _bytesRead;
    private byte[] _buffer = [];
    private int _contentLength = -1;

    public FolderRecordReader(string path)
    {
        if (File.Exists(path))
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} is a file; the files format reads a folder");
        }

        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"folder {path} does not exist");
        }

        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };
        var files = new FileSystemEnumerable<FolderEntry>(
            _root,
            (ref entry) => new FolderEntry(RelativePath(ref entry), entry.ToFullPath(), entry.Length),
            options)
        {
            // Names starting with '.' are hidden on Unix (.git, .DS_Store, editor swap files); hidden folders are not entered.
            ShouldIncludePredicate = (ref entry) => !entry.IsDirectory && !entry.FileName.StartsWith('.'),
            ShouldRecursePredicate = (ref entry) => !entry.FileName.StartsWith('.'),
        };
        _files = [.. files];
        Array.Sort(_files, static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
    }

    public override IReadOnlyList<string> Columns => ColumnNames;

    public override string? RowKey => _index >= 0 && _index < _files.Length ? _files[_index].RelativePath : null;

    public override long BytesRead => _bytesRead;

    public override bool Read()
    {
        if (!Advance())
        {
            return false;
        }

        var file = _files[_index];
        if (file.Length > MaxFileBytes)
        {
            RowError = TooLarge(file.RelativePath, file.Length);
            return true;
        }

        try
        {
            ReadContent(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RowError = $"cannot read {file.RelativePath}: {e.Message}";
        }

        return true;
    }

    public override bool Skip() => Advance();

    public override Cell GetCell(int column)
    {
        if (_index < 0 || _index >= _files.Length)
        {
            return Cell.Missing;
        }

        return column switch
        {
            0 => Cell.FromText(_files[_index].RelativePath),
            1 => _contentLength < 0 ? Cell.Null : Cell.FromBytes(_buffer.AsMemory(0, _contentLength)),
            _ => Cell.Missing,
        };
    }

    private static string TooLarge(string relativePath, long length) =>
        $"{relativePath} is {length} bytes, over the {MaxFileBytes >> 20} MiB limit for one file";

    private static string RelativePath(ref FileSystemEntry entry)
    {
        var directory = entry.Directory[entry.RootDirectory.Length..].TrimStart(Path.DirectorySeparatorChar);
        var relative = directory.IsEmpty ? entry.FileName.ToString() : string.Concat(directory, "/", entry.FileName);
        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private bool Advance()
    {
        if (_index >= _files.Length - 1)
        {
            _index = _files.Length;
            return false;
        }

        _index++;
        _bytesRead += _files[_index].Length;
        _contentLength = -1;
        RowNumber++;
        RowError = null;
        return true;
    }

    private void ReadContent(FolderEntry file)
    {
        using var handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read);

        // The size is checked again on the open file: it may have grown since the folder was listed.
        var length = RandomAccess.GetLength(handle);
        if (length > MaxFileBytes)
        {
            RowError = TooLarge(file.RelativePath, length);
            return;
        }

        if (_buffer.Length < length)
        {
            _buffer = new byte[Math.Max(length, Math.Min(MaxFileBytes, _buffer.Length * 2L))];
        }

        var read = 0;
        int n;
        while (read < length && (n = RandomAccess.Read(handle, _buffer.AsSpan(read, (int)length - read), read)) > 0)
        {
            read += n;
        }

        _contentLength = read;
    }

    private sealed record FolderEntry(string RelativePath, string FullPath, long Length);
}

using Inferd.Batch.Data;
using Parquet;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>
/// Reads a Parquet file row by row. A row group's columns are read together the first time one of its rows is read,
/// then cells are made per row on demand; rows that are only skipped never load their row group. Columns are the
/// schema's top-level scalar fields and lists of scalars, in schema order; structs, maps and nested lists are left out.
/// </summary>
/// <remarks>
/// <see cref="RecordReader"/> is synchronous and Parquet.Net only reads asynchronously, so this reader waits on its
/// tasks. The batch runner reads on thread-pool threads without a synchronization context, where that cannot deadlock.
/// </remarks>
internal sealed class ParquetRecordReader : RecordReader
{
    private readonly string _name;
    private readonly FileStream _stream;
    private readonly ParquetReader _reader;
    private readonly ParquetInputColumn[] _columns;
    private readonly string[] _names;
    private readonly ParquetColumnData?[] _data;
    private readonly long _length;
    private readonly long _totalRows;
    private int _group = -1;
    private long _groupRows;
    private int _row = -1;
    private long _passed;
    private bool _loaded;
    private bool _done;

    public ParquetRecordReader(string path)
    {
        _name = Path.GetFileName(path);
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            _length = _stream.Length;
            _reader = Wait(ParquetReader.CreateAsync(_stream, parquetOptions: null, leaveStreamOpen: true));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _stream.Dispose();
            throw new InvalidDataException($"{_name} is not a readable Parquet file: {e.Message}", e);
        }

        _columns = [.. _reader.Schema.Fields.Select(ParquetInputColumn.For).OfType<ParquetInputColumn>()];
        _names = [.. _columns.Select(c => c.Name)];
        _data = new ParquetColumnData?[_columns.Length];
        _totalRows = _reader.RowGroups.Sum(g => g.RowCount);
    }

    public override IReadOnlyList<string> Columns => _names;

    /// <summary>The file's length times the fraction of rows passed: row groups are read by seeking, not in stream order.</summary>
    public override long BytesRead => _totalRows == 0 ? 0 : (long)((double)_length * _passed / _totalRows);

    public override bool Read()
    {
        if (!Advance())
        {
            return false;
        }

        Load();
        return true;
    }

    public override bool Skip() => Advance();

    public override Cell GetCell(int column)
    {
        if ((uint)column >= (uint)_columns.Length || _row < 0 || _done)
        {
            return Cell.Missing;
        }

        Load();
        return _data[column]!.GetCell(_row);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Release();
            Wait(_reader.DisposeAsync().AsTask());
            _stream.Dispose();
        }
    }

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Wait(Task task) => task.GetAwaiter().GetResult();

    /// <summary>Moves to the next row, into the next non-empty row group when this one is done; reads no data.</summary>
    private bool Advance()
    {
        while (_row + 1 >= _groupRows)
        {
            if (_group + 1 >= _reader.RowGroupCount)
            {
                Release();
                _done = true;
                return false;
            }

            Release();
            _group++;
            _groupRows = _reader.RowGroups[_group].RowCount;
            _row = -1;
        }

        _row++;
        _passed++;
        RowNumber++;
        RowError = null;
        return true;
    }

    private void Load()
    {
        if (_loaded)
        {
            return;
        }

        var group = _reader.RowGroups[_group];
        try
        {
            for (var i = 0; i < _columns.Length; i++)
            {
                var raw = Wait(group.ReadRawColumnDataBaseAsync(_columns[i].Leaf).AsTask());
                _data[i] = ParquetCells.Wrap(raw, _columns[i]);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Release();
            throw new InvalidDataException($"{_name}: row group {_group} cannot be read: {e.Message}", e);
        }

        _loaded = true;
    }

    private void Release()
    {
        for (var i = 0; i < _data.Length; i++)
        {
            _data[i]?.Dispose();
            _data[i] = null;
        }

        _loaded = false;
    }
}

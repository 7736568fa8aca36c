using Inferd.Batch.Data;
using Parquet.Data;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>
/// A column's raw data for one row group: the defined values packed at the front, a definition level per entry (when
/// the field can be null or is a list) and a repetition level per entry (for a list, 0 starts a row). Two index arrays,
/// built once per row group, map a row to its entries and an entry to its value, so a cell costs one lookup.
/// </summary>
internal sealed class ParquetColumnData<T> : ParquetColumnData
    where T : struct
{
    private readonly RawColumnData<T> _raw;
    private readonly Func<T, Cell> _convert;
    private readonly bool _isList;
    private readonly int _elementLevel;
    private readonly int[]? _levels;
    private readonly int[]? _valueIndex;
    private readonly int[]? _rowStart;

    public ParquetColumnData(RawColumnData<T> raw, ParquetInputColumn column, Func<T, Cell> convert)
    {
        _raw = raw;
        _convert = convert;
        _isList = column.IsList;
        _elementLevel = column.ElementLevel;
        var maxLevel = column.Leaf.MaxDefinitionLevel;
        if (maxLevel > 0)
        {
            _levels = raw.DefinitionLevels.ToArray();
            _valueIndex = new int[_levels.Length];
            var next = 0;
            for (var i = 0; i < _levels.Length; i++)
            {
                _valueIndex[i] = _levels[i] == maxLevel ? next++ : -1;
            }
        }

        if (_isList)
        {
            var repetition = raw.RepetitionLevels;
            var starts = new List<int>();
            for (var i = 0; i < repetition.Length; i++)
            {
                if (repetition[i] == 0)
                {
                    starts.Add(i);
                }
            }

            starts.Add(repetition.Length);
            _rowStart = [.. starts];
        }
    }

    public override Cell GetCell(int row)
    {
        if (!_isList)
        {
            return EntryCell(row);
        }

        var start = _rowStart![row];
        var end = _rowStart[row + 1];
        if (end - start == 1 && _levels is not null && _levels[start] < _elementLevel)
        {
            // A lone entry below the element level is no element: an empty list one level down, a null list further.
            return _levels[start] == _elementLevel - 1 ? Cell.FromList([]) : Cell.Null;
        }

        // One list view per column, refilled for each row: a new Cell[64] per row was 4 KB of garbage per row of a
        // 64-float list. Cells are valid until the reader's next Read (the Cell contract), so reuse is safe.
        var view = _view ??= new CellListView();
        view.Reset(end - start);
        for (var i = 0; i < end - start; i++)
        {
            view.Items[i] = EntryCell(start + i);
        }

        return Cell.FromList(view);
    }

    private CellListView? _view;

    public override void Dispose() => _raw.Dispose();

    private Cell EntryCell(int entry)
    {
        if (_valueIndex is null)
        {
            return _convert(_raw.Values[entry]);
        }

        var index = _valueIndex[entry];
        return index < 0 ? Cell.Null : _convert(_raw.Values[index]);
    }
}

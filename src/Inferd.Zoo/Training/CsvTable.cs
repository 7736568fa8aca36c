using System.Globalization;

namespace Inferd.Zoo.Training;

/// <summary>A small CSV file with a header and no quoting (the stdlib tabular data sets), read whole.</summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string[] header, List<string[]> rows)
    {
        Header = header;
        Rows = rows;
        _columns = header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i, StringComparer.Ordinal);
    }

    /// <summary>Column names.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Cells by row, then column.</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>Reads a file; throws <see cref="ZooException"/> for quoting or ragged rows, which these files never have.</summary>
    public static CsvTable Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var rows = new List<string[]>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length || lines[i].Contains('"', StringComparison.Ordinal))
            {
                throw new ZooException($"{Path.GetFileName(path)} line {i + 1}: expected {header.Length} unquoted cells");
            }

            rows.Add(cells);
        }

        return new CsvTable(header, rows);
    }

    /// <summary>The index of a column; throws naming it when absent.</summary>
    public int Column(string name) => _columns.TryGetValue(name, out var i) ? i : throw new ZooException($"the data has no column '{name}' (it has {string.Join(", ", Header)})");

    /// <summary>Parses a numeric cell (invariant culture; empty is NaN).</summary>
    public static double Number(string cell) =>
        cell.Length == 0 ? double.NaN : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
}

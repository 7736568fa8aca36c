namespace Inferd.Batch.Tests.Formats;

/// <summary>Reads rows into plain values, since cells borrow the reader's buffers only until the next row.</summary>
internal static class Rows
{
    /// <summary>Every remaining row as <c>Kind:value</c> strings, one per column.</summary>
    public static List<string[]> ReadAll(RecordReader reader)
    {
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Current(reader));
        }

        return rows;
    }

    /// <summary>The current row as <c>Kind:value</c> strings.</summary>
    public static string[] Current(RecordReader reader) =>
        [.. Enumerable.Range(0, reader.Columns.Count).Select(i => Describe(reader.GetCell(i)))];

    /// <summary>A cell as <c>Kind:value</c>, lists as <c>List:[Kind:value,…]</c>.</summary>
    public static string Describe(Cell cell) => cell.Kind switch
    {
        CellKind.List => "List:[" + string.Join(",", cell.List!.Select(Describe)) + "]",
        CellKind.Bytes => "Bytes:" + Convert.ToHexString(cell.Bytes.Span),
        _ => cell.Kind + ":" + cell,
    };
}

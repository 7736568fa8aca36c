using System.Text;
using System.Text.Json;
using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Jsonl;

/// <summary>
/// Reads JSON Lines. The columns are the keys of the first object; later lines may lack a key (the cell is
/// <see cref="CellKind.Missing"/>) and extra keys are ignored. A line that is not a JSON object is returned with
/// <see cref="RecordReader.RowError"/> set. Blank lines are skipped.
/// </summary>
internal sealed class JsonlRecordReader : RecordReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };
    private readonly FileStream _stream;
    private readonly StreamReader _reader;
    private readonly List<string> _columns = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private Cell[] _cells = [];
    private string? _pending;
    private JsonDocument? _document;

    public JsonlRecordReader(string path)
    {
        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        _reader = new StreamReader(_stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);

        // The first object names the columns; it is kept and returned by the first Read.
        _pending = NextLine();
        if (_pending is not null)
        {
            try
            {
                using var first = JsonDocument.Parse(_pending, Options);
                if (first.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in first.RootElement.EnumerateObject())
                    {
                        if (_index.TryAdd(property.Name, _columns.Count))
                        {
                            _columns.Add(property.Name);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // The first line is bad: no columns from it; Read reports the line as a row error.
            }
        }

        _cells = new Cell[_columns.Count];
    }

    public override IReadOnlyList<string> Columns => _columns;

    public override long BytesRead => _stream.CanSeek ? _stream.Position : 0;

    public override bool Read()
    {
        var line = _pending ?? NextLine();
        _pending = null;
        if (line is null)
        {
            return false;
        }

        RowNumber++;
        RowError = null;
        Array.Clear(_cells);
        _document?.Dispose();
        _document = null;
        try
        {
            _document = JsonDocument.Parse(line, Options);
        }
        catch (JsonException e)
        {
            RowError = "the line is not valid JSON: " + e.Message;
            return true;
        }

        var root = _document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            RowError = $"the line is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object";
            return true;
        }

        foreach (var property in root.EnumerateObject())
        {
            if (_index.TryGetValue(property.Name, out var column))
            {
                _cells[column] = ToCell(property.Value);
            }
        }

        return true;
    }

    public override Cell GetCell(int column) => (uint)column < (uint)_cells.Length ? _cells[column] : Cell.Missing;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _document?.Dispose();
            _reader.Dispose();
            _stream.Dispose();
        }
    }

    private static Cell ToCell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => Cell.Null,
        JsonValueKind.True => Cell.FromBoolean(true),
        JsonValueKind.False => Cell.FromBoolean(false),
        JsonValueKind.String => Cell.FromText(value.GetString()!),
        JsonValueKind.Number => value.TryGetInt64(out var integer) ? Cell.FromInteger(integer) : Cell.FromNumber(value.GetDouble()),
        JsonValueKind.Array => Cell.FromList(value.EnumerateArray().Select(ToCell).ToArray()),
        _ => Cell.FromText(value.GetRawText()),
    };

    private string? NextLine()
    {
        string? line;
        while ((line = _reader.ReadLine()) is not null && string.IsNullOrWhiteSpace(line))
        {
        }

        return line;
    }
}

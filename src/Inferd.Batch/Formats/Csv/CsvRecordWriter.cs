using System.Globalization;
using System.Text;
using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Csv;

/// <summary>Writes CSV: a header, then one line per row, '\n' line ends, fields quoted only when they must be.</summary>
internal sealed class CsvRecordWriter : RecordWriter
{
    private readonly StreamWriter _writer;
    private readonly char[] _number = new char[64];
    private bool _first = true;

    public CsvRecordWriter(Stream stream, IReadOnlyList<OutputColumn> columns)
    {
        _writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        var names = new List<string>();
        foreach (var column in columns)
        {
            if (column.Width == 1)
            {
                names.Add(column.Name);
            }
            else
            {
                for (var i = 0; i < column.Width; i++)
                {
                    names.Add(column.Name + "_" + i.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (i > 0)
            {
                _writer.Write(',');
            }

            WriteField(names[i]);
        }

        _writer.Write('\n');
    }

    public override void BeginRow() => _first = true;

    public override void WriteText(ReadOnlySpan<char> value)
    {
        Separator();
        WriteField(value);
    }

    public override void WriteInteger(long value)
    {
        Separator();
        value.TryFormat(_number, out var n, default, CultureInfo.InvariantCulture);
        _writer.Write(_number, 0, n);
    }

    public override void WriteFloat(float value)
    {
        Separator();
        value.TryFormat(_number, out var n, "R", CultureInfo.InvariantCulture);
        _writer.Write(_number, 0, n);
    }

    public override void WriteDouble(double value)
    {
        Separator();
        value.TryFormat(_number, out var n, "R", CultureInfo.InvariantCulture);
        _writer.Write(_number, 0, n);
    }

    public override void WriteBoolean(bool value)
    {
        Separator();
        _writer.Write(value ? "true" : "false");
    }

    public override void WriteNull() => Separator();

    public override void EndRow() => _writer.Write('\n');

    public override Task CompleteAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _writer.Dispose();
        }
    }

    private void Separator()
    {
        if (!_first)
        {
            _writer.Write(',');
        }

        _first = false;
    }

    private void WriteField(ReadOnlySpan<char> value)
    {
        if (value.IndexOfAny(",\"\r\n") < 0)
        {
            _writer.Write(value);
            return;
        }

        _writer.Write('"');
        foreach (var c in value)
        {
            if (c == '"')
            {
                _writer.Write('"');
            }

            _writer.Write(c);
        }

        _writer.Write('"');
    }
}

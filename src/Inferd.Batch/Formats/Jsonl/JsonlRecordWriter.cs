using System.Text.Encodings.Web;
using System.Text.Json;
using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Jsonl;

/// <summary>Writes one JSON object per row; a column of width above 1 becomes an array.</summary>
internal sealed class JsonlRecordWriter : RecordWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private readonly Stream _stream;
    private readonly IReadOnlyList<OutputColumn> _columns;
    private readonly Utf8JsonWriter _json;
    private int _column;
    private int _inColumn;

    public JsonlRecordWriter(Stream stream, IReadOnlyList<OutputColumn> columns)
    {
        _stream = stream;
        _columns = columns;
        _json = new Utf8JsonWriter(stream, Options);
    }

    public override void BeginRow()
    {
        _json.WriteStartObject();
        _column = 0;
        _inColumn = 0;
    }

    public override void WriteText(ReadOnlySpan<char> value)
    {
        Next();
        _json.WriteStringValue(value);
        Done();
    }

    public override void WriteInteger(long value)
    {
        Next();
        _json.WriteNumberValue(value);
        Done();
    }

    public override void WriteFloat(float value)
    {
        Next();
        if (float.IsFinite(value))
        {
            _json.WriteNumberValue(value);
        }
        else
        {
            _json.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture)); // JSON has no NaN/Infinity.
        }

        Done();
    }

    public override void WriteDouble(double value)
    {
        Next();
        if (double.IsFinite(value))
        {
            _json.WriteNumberValue(value);
        }
        else
        {
            _json.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Done();
    }

    public override void WriteBoolean(bool value)
    {
        Next();
        _json.WriteBooleanValue(value);
        Done();
    }

    public override void WriteNull()
    {
        Next();
        _json.WriteNullValue();
        Done();
    }

    public override void EndRow()
    {
        _json.WriteEndObject();
        _json.Flush();
        _stream.WriteByte((byte)'\n');
        _json.Reset();
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _json.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _json.Dispose();
        }
    }

    private void Next()
    {
        var column = _columns[_column];
        if (_inColumn == 0)
        {
            _json.WritePropertyName(column.Name);
            if (column.Width > 1)
            {
                _json.WriteStartArray();
            }
        }
    }

    private void Done()
    {
        var column = _columns[_column];
        _inColumn++;
        if (_inColumn < column.Width)
        {
            return;
        }

        if (column.Width > 1)
        {
            _json.WriteEndArray();
        }

        _column++;
        _inColumn = 0;
    }
}

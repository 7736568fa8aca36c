using System.Globalization;
using Inferd.Batch.Data;
using Parquet;
using Parquet.Schema;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>
/// Buffers rows column by column and writes them as one row group in <see cref="CompleteAsync"/>: a batch job writes a
/// file per shard of about 10,000 rows, small enough to hold, and one row group per file reads fastest. Every column is
/// nullable. A value is stored in its column's type: a number is widened or narrowed to a float column's width, and
/// anything written to a text column is formatted as text; other mismatches throw. The bytes depend only on the rows
/// (Parquet.Net's created_by names its version and build, and no time is written), so a rerun shard is identical.
/// </summary>
internal sealed class ParquetRecordWriter : RecordWriter
{
    private readonly Stream _stream;
    private readonly ParquetSchema _schema;
    private readonly ParquetColumnBuffer[] _buffers;
    private int _next = -1;
    private long _rows;
    private bool _completed;

    public ParquetRecordWriter(Stream stream, IReadOnlyList<OutputColumn> columns)
    {
        _stream = stream;
        var buffers = new List<ParquetColumnBuffer>();
        foreach (var column in columns)
        {
            if (column.Width == 1)
            {
                buffers.Add(ParquetColumnBuffer.Create(column.Name, column.Kind));
                continue;
            }

            for (var i = 0; i < column.Width; i++)
            {
                buffers.Add(ParquetColumnBuffer.Create(column.Name + "_" + i.ToString(CultureInfo.InvariantCulture), column.Kind));
            }
        }

        var duplicate = buffers.GroupBy(b => b.Field.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two output columns are named '{duplicate.Key}'", nameof(columns));
        }

        _buffers = [.. buffers];
        _schema = new ParquetSchema(_buffers.Select(b => (Field)b.Field));
    }

    public override void BeginRow()
    {
        if (_next >= 0)
        {
            throw new InvalidOperationException("BeginRow was called before the previous row ended");
        }

        _next = 0;
    }

    public override void WriteText(ReadOnlySpan<char> value)
    {
        var buffer = Next();
        if (buffer is not ParquetTextBuffer text)
        {
            throw Mismatch(buffer, "text");
        }

        text.Add(value);
    }

    public override void WriteInteger(long value)
    {
        switch (Next())
        {
            case ParquetValueBuffer<long> integers:
                integers.Add(value);
                break;
            case ParquetValueBuffer<double> doubles:
                doubles.Add(value);
                break;
            case ParquetValueBuffer<float> floats:
                floats.Add(value);
                break;
            case ParquetTextBuffer text:
                Span<char> chars = stackalloc char[24];
                value.TryFormat(chars, out var n, default, CultureInfo.InvariantCulture);
                text.Add(chars[..n]);
                break;
            case var other:
                throw Mismatch(other, "an integer");
        }
    }

    public override void WriteFloat(float value)
    {
        switch (Next())
        {
            case ParquetValueBuffer<float> floats:
                floats.Add(value);
                break;
            case ParquetValueBuffer<double> doubles:
                doubles.Add(value);
                break;
            case ParquetTextBuffer text:
                Span<char> chars = stackalloc char[64];
                value.TryFormat(chars, out var n, "R", CultureInfo.InvariantCulture);
                text.Add(chars[..n]);
                break;
            case var other:
                throw Mismatch(other, "a float");
        }
    }

    public override void WriteDouble(double value)
    {
        switch (Next())
        {
            case ParquetValueBuffer<double> doubles:
                doubles.Add(value);
                break;
            case ParquetValueBuffer<float> floats:
                floats.Add((float)value);
                break;
            case ParquetTextBuffer text:
                Span<char> chars = stackalloc char[64];
                value.TryFormat(chars, out var n, "R", CultureInfo.InvariantCulture);
                text.Add(chars[..n]);
                break;
            case var other:
                throw Mismatch(other, "a double");
        }
    }

    public override void WriteBoolean(bool value)
    {
        switch (Next())
        {
            case ParquetValueBuffer<bool> booleans:
                booleans.Add(value);
                break;
            case ParquetTextBuffer text:
                text.Add(value ? "true" : "false");
                break;
            case var other:
                throw Mismatch(other, "a boolean");
        }
    }

    public override void WriteNull() => Next().AddNull();

    public override void EndRow()
    {
        if (_next != _buffers.Length)
        {
            throw new InvalidOperationException($"the row has {Math.Max(_next, 0)} values; the columns take {_buffers.Length}");
        }

        _next = -1;
        _rows++;
    }

    public override async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed)
        {
            throw new InvalidOperationException("the Parquet file is already complete");
        }

        if (_next >= 0)
        {
            throw new InvalidOperationException("a row was begun and not ended");
        }

        _completed = true;
        await using (var writer = await ParquetWriter.CreateAsync(_schema, _stream, null, false, cancellationToken).ConfigureAwait(false))
        {
            // No rows, no row group: a schema and an empty footer is a valid file that reads as zero rows.
            if (_rows > 0)
            {
                using var rowGroup = writer.CreateRowGroup();
                foreach (var buffer in _buffers)
                {
                    await buffer.WriteAsync(rowGroup, cancellationToken).ConfigureAwait(false);
                }

                rowGroup.CompleteValidate();
            }
        }

        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static InvalidOperationException Mismatch(ParquetColumnBuffer buffer, string what) =>
        new($"column '{buffer.Field.Name}' holds {buffer.Kind.ToString().ToLowerInvariant()} values; {what} cannot be written to it");

    private ParquetColumnBuffer Next()
    {
        if (_next < 0)
        {
            throw new InvalidOperationException("a value was written outside BeginRow/EndRow");
        }

        if (_next >= _buffers.Length)
        {
            throw new InvalidOperationException($"the row has more values than the {_buffers.Length} columns take");
        }

        return _buffers[_next++];
    }
}

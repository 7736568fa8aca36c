namespace Inferd.Batch.Data;

/// <summary>
/// One value of an input row. A struct over borrowed memory: <see cref="Text"/>, <see cref="Bytes"/> and
/// <see cref="List"/> may point into the reader's buffers and stay valid only until the reader's next
/// <see cref="RecordReader.Read"/>, so reading a CSV row allocates nothing per field.
/// </summary>
public readonly struct Cell
{
    private Cell(CellKind kind, ReadOnlyMemory<char> text, double number, long integer, IReadOnlyList<Cell>? list, ReadOnlyMemory<byte> bytes)
    {
        Kind = kind;
        Text = text;
        Number = number;
        Integer = integer;
        List = list;
        Bytes = bytes;
    }

    /// <summary>The column is absent from this row.</summary>
    public static Cell Missing => default;

    /// <summary>An explicit null.</summary>
    public static Cell Null => new(CellKind.Null, default, 0, 0, null, default);

    /// <summary>What the cell holds.</summary>
    public CellKind Kind { get; }

    /// <summary>The text of a <see cref="CellKind.Text"/> cell.</summary>
    public ReadOnlyMemory<char> Text { get; }

    /// <summary>The value of a <see cref="CellKind.Number"/> cell.</summary>
    public double Number { get; }

    /// <summary>The value of an <see cref="CellKind.Integer"/> cell, or 1/0 for a <see cref="CellKind.Boolean"/> one.</summary>
    public long Integer { get; }

    /// <summary>The elements of a <see cref="CellKind.List"/> cell.</summary>
    public IReadOnlyList<Cell>? List { get; }

    /// <summary>The content of a <see cref="CellKind.Bytes"/> cell.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>A text cell.</summary>
    public static Cell FromText(ReadOnlyMemory<char> text) => new(CellKind.Text, text, 0, 0, null, default);

    /// <summary>A text cell.</summary>
    public static Cell FromText(string text) => FromText(text.AsMemory());

    /// <summary>A floating-point cell.</summary>
    public static Cell FromNumber(double value) => new(CellKind.Number, default, value, 0, null, default);

    /// <summary>An integer cell.</summary>
    public static Cell FromInteger(long value) => new(CellKind.Integer, default, 0, value, null, default);

    /// <summary>A boolean cell.</summary>
    public static Cell FromBoolean(bool value) => new(CellKind.Boolean, default, 0, value ? 1 : 0, null, default);

    /// <summary>A list cell.</summary>
    public static Cell FromList(IReadOnlyList<Cell> items) => new(CellKind.List, default, 0, 0, items, default);

    /// <summary>A bytes cell.</summary>
    public static Cell FromBytes(ReadOnlyMemory<byte> bytes) => new(CellKind.Bytes, default, 0, 0, null, bytes);

    /// <summary>True for a boolean cell holding true.</summary>
    public bool Boolean => Kind == CellKind.Boolean && Integer != 0;

    /// <summary>The value as text, for keys and messages.</summary>
    public override string ToString() => Kind switch
    {
        CellKind.Missing => "",
        CellKind.Null => "",
        CellKind.Text => Text.ToString(),
        CellKind.Number => Number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        CellKind.Integer => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CellKind.Boolean => Boolean ? "true" : "false",
        CellKind.List => "[" + string.Join(",", List!.Select(c => c.ToString())) + "]",
        CellKind.Bytes => $"<{Bytes.Length} bytes>",
        _ => "",
    };
}

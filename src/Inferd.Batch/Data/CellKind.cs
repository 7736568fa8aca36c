namespace Inferd.Batch.Data;

/// <summary>What a <see cref="Cell"/> holds.</summary>
public enum CellKind
{
    /// <summary>The row has no such column (a JSON line without the key, a short CSV row).</summary>
    Missing,

    /// <summary>An explicit null (JSON null, a Parquet null, an empty CSV field).</summary>
    Null,

    /// <summary>Text; CSV fields are always text and are parsed when converted.</summary>
    Text,

    /// <summary>A floating-point number.</summary>
    Number,

    /// <summary>An integer.</summary>
    Integer,

    /// <summary>A boolean.</summary>
    Boolean,

    /// <summary>A list of cells (a JSON array, a Parquet list).</summary>
    List,

    /// <summary>Raw bytes (a file's content in a folder input, a Parquet binary column).</summary>
    Bytes,
}

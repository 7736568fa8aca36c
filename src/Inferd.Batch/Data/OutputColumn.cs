namespace Inferd.Batch.Data;

/// <summary>The type of an output column's values.</summary>
public enum OutputKind
{
    /// <summary>Text (keys, BYTES outputs).</summary>
    Text,

    /// <summary>A 64-bit integer (row numbers, integer outputs).</summary>
    Integer,

    /// <summary>A 32-bit float.</summary>
    Float,

    /// <summary>A 64-bit float.</summary>
    Double,

    /// <summary>A boolean.</summary>
    Boolean,
}

/// <summary>
/// One column of an output file. A column of <see cref="Width"/> greater than 1 holds a vector per row: CSV and
/// Parquet spread it over columns <c>name_0</c> … <c>name_{Width-1}</c>, JSON Lines writes an array.
/// </summary>
/// <param name="Name">Column name.</param>
/// <param name="Kind">Value type.</param>
/// <param name="Width">Values per row; 1 for a scalar.</param>
public sealed record OutputColumn(string Name, OutputKind Kind, int Width = 1);

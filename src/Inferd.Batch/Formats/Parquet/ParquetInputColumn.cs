using Parquet.Schema;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>
/// A top-level field of an input file that becomes a column: the leaf that holds its values, and for a list the
/// definition level at which a row has an element (below it by one: an empty list; lower still: a null list).
/// </summary>
/// <param name="Name">Column name: the top-level field's name.</param>
/// <param name="Leaf">The data field whose values are read.</param>
/// <param name="IsList">Whether a row holds a list of values rather than one.</param>
/// <param name="ElementLevel">For a list, the lowest definition level at which an entry is an element.</param>
internal sealed record ParquetInputColumn(string Name, DataField Leaf, bool IsList, int ElementLevel)
{
    /// <summary>The column for <paramref name="field"/>, or null when it is a struct, a map or a nested list.</summary>
    public static ParquetInputColumn? For(Field field)
    {
        switch (field)
        {
            case DataField { MaxRepetitionLevel: 0 } scalar when ParquetCells.IsSupported(scalar.ClrType):
                return new ParquetInputColumn(scalar.Name, scalar, IsList: false, ElementLevel: 0);

            case DataField { IsArray: true, MaxRepetitionLevel: 1 } array when ParquetCells.IsSupported(array.ClrType):
                // A bare repeated primitive (the legacy list form): every entry at the leaf's level is a value.
                return new ParquetInputColumn(array.Name, array, IsList: true, ElementLevel: array.MaxDefinitionLevel);

            case ListField { Item: DataField { MaxRepetitionLevel: 1 } item } list when ParquetCells.IsSupported(item.ClrType):
                // Parquet.Net gives the list field the level of its repeated group: an entry at that level or above
                // is an element (null below the item's own level).
                return new ParquetInputColumn(list.Name, item, IsList: true, ElementLevel: list.MaxDefinitionLevel);

            default:
                return null;
        }
    }
}

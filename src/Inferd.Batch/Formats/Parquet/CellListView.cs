using System.Collections;
using Inferd.Batch.Data;

namespace Inferd.Batch.Formats.Parquet;

/// <summary>A reusable list of cells over a buffer that grows to the longest list seen.</summary>
internal sealed class CellListView : IReadOnlyList<Cell>
{
    public Cell[] Items { get; private set; } = [];

    public int Count { get; private set; }

    public Cell this[int index] => (uint)index < (uint)Count ? Items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    public void Reset(int count)
    {
        if (Items.Length < count)
        {
            Items = new Cell[count];
        }

        Array.Clear(Items, 0, Count);
        Count = count;
    }

    public IEnumerator<Cell> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return Items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

namespace Inferd.Abstractions.Tensors;

/// <summary>
/// A named tensor in the protocol's binary layout: little-endian, row-major, no padding; BYTES elements are each a
/// 4-byte little-endian length followed by that many bytes. The same layout travels in the HTTP binary extension
/// and in gRPC raw contents, so adapters can hand wire bytes through without re-encoding.
/// </summary>
/// <param name="Name">Tensor name.</param>
/// <param name="DataType">Element type.</param>
/// <param name="Shape">Dimensions; every entry is non-negative.</param>
/// <param name="Data">
/// Encoded elements. Ownership: the tensor does not own the memory; whoever created it keeps it alive until the
/// request completes.
/// </param>
public sealed record InferenceTensor(string Name, DataType DataType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>Element count of <see cref="Shape"/>; assumes the shape was validated.</summary>
    public long ElementCount
    {
        get
        {
            TensorShape.TryGetElementCount(Shape, out var count);
            return count;
        }
    }
}

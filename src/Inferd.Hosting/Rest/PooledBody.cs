using System.Buffers;

namespace Inferd.Hosting.Rest;

/// <summary>A request body in a buffer rented from <see cref="ArrayPool{T}.Shared"/>; disposing returns it.</summary>
internal sealed class PooledBody : IDisposable
{
    private byte[]? _array;

    public PooledBody(int length)
    {
        _array = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        Length = length;
    }

    /// <summary>The rented array; longer than <see cref="Length"/>.</summary>
    public byte[] Array => _array ?? throw new ObjectDisposedException(nameof(PooledBody));

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}

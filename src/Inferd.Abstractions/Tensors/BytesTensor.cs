using System.Buffers.Binary;

namespace Inferd.Abstractions.Tensors;

/// <summary>Encoding and bounds-checked walking of BYTES tensors (4-byte length prefix per element).</summary>
public static class BytesTensor
{
    /// <summary>
    /// Counts the elements of an encoded BYTES buffer. Fails when a length prefix runs past the end or the buffer
    /// ends inside a prefix (bad-inputs.md row 14).
    /// </summary>
    public static bool TryCountElements(ReadOnlySpan<byte> data, out long count)
    {
        count = 0;
        var offset = 0;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            offset += 4;
            if (length > (uint)(data.Length - offset))
            {
                return false;
            }

            offset += (int)length;
            count++;
        }

        return true;
    }

    /// <summary>Splits an already-validated BYTES buffer into its elements (slices, no copies).</summary>
    public static ReadOnlyMemory<byte>[] Split(ReadOnlyMemory<byte> data)
    {
        var elements = new List<ReadOnlyMemory<byte>>();
        var span = data.Span;
        var offset = 0;
        while (offset < span.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
            offset += 4;
            elements.Add(data.Slice(offset, length));
            offset += length;
        }

        return elements.ToArray();
    }

    /// <summary>Encodes elements into the length-prefixed layout.</summary>
    public static byte[] Encode(IReadOnlyList<ReadOnlyMemory<byte>> elements)
    {
        long total = 0;
        foreach (var e in elements)
        {
            total += 4 + e.Length;
        }

        var buffer = new byte[total];
        var offset = 0;
        foreach (var e in elements)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset), (uint)e.Length);
            offset += 4;
            e.Span.CopyTo(buffer.AsSpan(offset));
            offset += e.Length;
        }

        return buffer;
    }

    /// <summary>Encodes UTF-8 strings into the length-prefixed layout.</summary>
    public static byte[] EncodeStrings(IEnumerable<string> values) =>
        Encode(values.Select(v => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(v)).ToArray());
}

using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Inferd.Abstractions.Tensors;

namespace Inferd.Client;

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1, 2 and 3) into a <see cref="ClientTensor"/>. Supported dtypes:
/// <c>b1</c> (BOOL), <c>u1</c>-<c>u8</c>, <c>i1</c>-<c>i8</c>, <c>f2</c> (FP16), <c>f4</c>, <c>f8</c>, fixed-width
/// byte strings <c>S</c>n and unicode strings <c>U</c>n (both become BYTES, trailing NULs removed). Big-endian data is
/// swapped. Fortran order and object arrays (pickles) are refused.
/// </summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Parses a whole <c>.npy</c> file.</summary>
    /// <param name="name">Name to give the tensor.</param>
    /// <param name="file">File content.</param>
    /// <exception cref="FormatException">The file is not a supported <c>.npy</c> file; the message says why.</exception>
    public static ClientTensor Read(string name, ReadOnlySpan<byte> file)
    {
        if (file.Length < 10 || !file[..6].SequenceEqual(Magic))
        {
            throw new FormatException("not a .npy file (the magic string \\x93NUMPY is missing)");
        }

        var major = file[6];
        int headerLength, headerStart;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file[8..]);
                headerStart = 10;
                break;
            case 2 or 3 when file.Length >= 12:
                var length = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
                headerLength = length <= int.MaxValue ? (int)length : throw new FormatException(".npy header is too long");
                headerStart = 12;
                break;
            default:
                throw new FormatException($".npy format version {major}.{file[7]} is not supported (1.0, 2.0 and 3.0 are)");
        }

        if (headerLength > file.Length - headerStart)
        {
            throw new FormatException(".npy header runs past the end of the file");
        }

        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(file.Slice(headerStart, headerLength));
        var (descr, fortran, shape) = ParseHeader(header);
        if (fortran)
        {
            throw new FormatException(".npy array is in Fortran order; save it in C order (np.ascontiguousarray)");
        }

        if (!TensorShape.TryGetElementCount(shape, out var count))
        {
            throw new FormatException($".npy shape {TensorShape.Format(shape)} is too large");
        }

        var (type, itemSize, order, kind) = ParseDescr(descr);
        var data = file[(headerStart + headerLength)..];
        if (data.Length != count * itemSize)
        {
            throw new FormatException($".npy data holds {data.Length} bytes; dtype '{descr}' with shape {TensorShape.Format(shape)} needs {count * itemSize}");
        }

        if (type == DataType.Bytes)
        {
            return new ClientTensor(name, type, shape, ReadStrings(data, kind, itemSize, order, (int)count));
        }

        var bytes = data.ToArray();
        if (order == '>' && itemSize > 1)
        {
            for (var i = 0; i < bytes.Length; i += itemSize)
            {
                bytes.AsSpan(i, itemSize).Reverse();
            }
        }

        if (type == DataType.Bool && bytes.Any(b => b > 1))
        {
            throw new FormatException(".npy bool data holds a byte other than 0 or 1");
        }

        return new ClientTensor(name, type, shape, bytes);
    }

    private static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new FormatException(".npy header is not a dict with 'descr', 'fortran_order' and 'shape'");
        }

        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => long.TryParse(d.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new FormatException($".npy shape has an invalid dimension '{d}'"))
            .ToArray();
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims);
    }

    private static (DataType Type, int ItemSize, char Order, char Kind) ParseDescr(string descr)
    {
        if (descr.Length < 2)
        {
            throw new FormatException($".npy dtype '{descr}' is not supported");
        }

        var order = descr[0] is '<' or '>' or '|' or '=' ? descr[0] : '=';
        var rest = descr[0] == order ? descr[1..] : descr;
        if (order == '=')
        {
            order = BitConverter.IsLittleEndian ? '<' : '>';
        }

        var kind = rest[0];
        if (!int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size <= 0)
        {
            throw new FormatException($".npy dtype '{descr}' is not supported" + (kind == 'O' ? " (object arrays need pickle)" : ""));
        }

        DataType? type = (kind, size) switch
        {
            ('b', 1) => DataType.Bool,
            ('u', 1) => DataType.UInt8,
            ('u', 2) => DataType.UInt16,
            ('u', 4) => DataType.UInt32,
            ('u', 8) => DataType.UInt64,
            ('i', 1) => DataType.Int8,
            ('i', 2) => DataType.Int16,
            ('i', 4) => DataType.Int32,
            ('i', 8) => DataType.Int64,
            ('f', 2) => DataType.Fp16,
            ('f', 4) => DataType.Fp32,
            ('f', 8) => DataType.Fp64,
            ('S', _) => DataType.Bytes,
            ('U', _) => DataType.Bytes,
            _ => null,
        };
        if (type is null)
        {
            throw new FormatException($".npy dtype '{descr}' is not supported");
        }

        // Unicode strings store 4 bytes (UTF-32) per character.
        var itemSize = kind == 'U' ? checked(size * 4) : size;
        return (type.Value, itemSize, order, kind);
    }

    private static byte[] ReadStrings(ReadOnlySpan<byte> data, char kind, int itemSize, char order, int count)
    {
        var elements = new ReadOnlyMemory<byte>[count];
        var utf32 = new UTF32Encoding(bigEndian: order == '>', byteOrderMark: false, throwOnInvalidCharacters: true);
        for (var i = 0; i < count; i++)
        {
            var item = data.Slice(i * itemSize, itemSize);
            if (kind == 'S')
            {
                elements[i] = item.TrimEnd((byte)0).ToArray();
            }
            else
            {
                try
                {
                    elements[i] = Encoding.UTF8.GetBytes(utf32.GetString(item).TrimEnd('\0'));
                }
                catch (DecoderFallbackException e)
                {
                    throw new FormatException($".npy unicode element {i} is not valid UTF-32", e);
                }
            }
        }

        return BytesTensor.Encode(elements);
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}

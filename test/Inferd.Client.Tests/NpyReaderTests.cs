using System.Buffers.Binary;
using System.Text;
using Inferd.Abstractions.Tensors;

namespace Inferd.Client.Tests;

public sealed class NpyReaderTests
{
    [Fact]
    public void Read_Float32Version1_ReturnsTensor()
    {
        var file = Npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Floats(1, 2, 3, 4, 5, 6));

        var tensor = NpyReader.Read("x", file);

        Assert.Equal(DataType.Fp32, tensor.DataType);
        Assert.Equal([2L, 3L], tensor.Shape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f], tensor.AsFloats());
    }

    [Fact]
    public void Read_Version2Header_ReturnsTensor()
    {
        var file = Npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", [.. BitConverter.GetBytes(7L), .. BitConverter.GetBytes(-1L)], major: 2);

        Assert.Equal([7L, -1L], NpyReader.Read("x", file).AsInt64s());
    }

    [Fact]
    public void Read_BigEndianInt32_SwapsBytes()
    {
        var data = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(data, 258);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), -2);
        var file = Npy("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", data);

        Assert.Equal([258, -2], NpyReader.Read("x", file).AsInt32s());
    }

    [Fact]
    public void Read_ScalarBoolAndUInt8_Accepted()
    {
        var scalar = NpyReader.Read("b", Npy("{'descr': '|b1', 'fortran_order': False, 'shape': (), }", [1]));
        var bytes = NpyReader.Read("u", Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", [0, 128, 255]));

        Assert.Empty(scalar.Shape);
        Assert.Equal([true], scalar.AsBools());
        Assert.Equal(new byte[] { 0, 128, 255 }, bytes.AsUInt8s());
    }

    [Fact]
    public void Read_Float16_Accepted()
    {
        var data = new byte[4];
        BinaryPrimitives.WriteHalfLittleEndian(data, (Half)1.5);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2), (Half)(-2));

        var tensor = NpyReader.Read("h", Npy("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", data));

        Assert.Equal([(Half)1.5, (Half)(-2)], tensor.AsHalves());
    }

    [Fact]
    public void Read_UnicodeAndByteStrings_BecomeBytesTensors()
    {
        var utf32 = new UTF32Encoding(bigEndian: false, byteOrderMark: false);
        var unicode = NpyReader.Read("u", Npy("{'descr': '<U3', 'fortran_order': False, 'shape': (2,), }", [.. utf32.GetBytes("ab\0"), .. utf32.GetBytes("xyz")]));
        var ascii = NpyReader.Read("s", Npy("{'descr': '|S2', 'fortran_order': False, 'shape': (2,), }", [(byte)'a', 0, (byte)'b', (byte)'c']));

        Assert.Equal(["ab", "xyz"], unicode.AsStrings());
        Assert.Equal(["a", "bc"], ascii.AsStrings());
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", "Fortran order")]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "not supported")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", "not supported")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", "needs 8")]
    [InlineData("{'descr': '<f4', 'shape': (1,), }", "'fortran_order'")]
    public void Read_Unsupported_ThrowsWithReason(string header, string expected)
    {
        var error = Assert.Throws<FormatException>(() => NpyReader.Read("x", Npy(header, Floats(1))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotNpy_Throws()
    {
        Assert.Throws<FormatException>(() => NpyReader.Read("x", "{\"inputs\":[]}"u8));
    }

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    /// <summary>Writes a .npy file the way numpy does: header padded with spaces to a 64-byte boundary, then '\n'.</summary>
    private static byte[] Npy(string header, byte[] data, int major = 1)
    {
        var prefix = major == 1 ? 10 : 12;
        var padded = header;
        while ((prefix + padded.Length + 1) % 64 != 0)
        {
            padded += " ";
        }

        padded += "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        if (major == 1)
        {
            bytes.AddRange(BitConverter.GetBytes((ushort)padded.Length));
        }
        else
        {
            bytes.AddRange(BitConverter.GetBytes((uint)padded.Length));
        }

        bytes.AddRange(Encoding.Latin1.GetBytes(padded));
        bytes.AddRange(data);
        return [.. bytes];
    }
}

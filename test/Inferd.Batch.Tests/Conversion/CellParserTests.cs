using System.Buffers.Binary;
using Inferd.Abstractions.Tensors;
using Inferd.Batch.Conversion;

namespace Inferd.Batch.Tests.Conversion;

public sealed class CellParserTests
{
    [Theory]
    [InlineData("1.5", 1.5f)]
    [InlineData(" -2e3 ", -2000f)]
    [InlineData("0.1", 0.1f)]
    public void TryWrite_TextToFp32_ParsesInvariantCulture(string text, float expected)
    {
        var buffer = new byte[4];

        Assert.True(CellParser.TryWrite(Cell.FromText(text), DataType.Fp32, buffer, out var error), error);

        Assert.Equal(expected, BinaryPrimitives.ReadSingleLittleEndian(buffer));
    }

    [Theory]
    [InlineData("300", DataType.UInt8, "out of range")]
    [InlineData("1.5", DataType.Int32, "not a whole number")]
    [InlineData("abc", DataType.Fp64, "'abc' is not a number")]
    [InlineData("yes", DataType.Bool, "not a boolean")]
    public void TryWrite_ValueThatDoesNotFit_FailsWithReason(string text, DataType type, string reason)
    {
        var buffer = new byte[8];

        Assert.False(CellParser.TryWrite(Cell.FromText(text), type, buffer, out var error));

        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryWrite_IntegerAndBooleanCells_WriteTheirTypes()
    {
        var buffer = new byte[8];

        Assert.True(CellParser.TryWrite(Cell.FromInteger(-5), DataType.Int64, buffer, out _));
        Assert.Equal(-5, BinaryPrimitives.ReadInt64LittleEndian(buffer));
        Assert.True(CellParser.TryWrite(Cell.FromBoolean(true), DataType.Bool, buffer, out _));
        Assert.Equal(1, buffer[0]);
        Assert.False(CellParser.TryWrite(Cell.Null, DataType.Fp32, buffer, out var error));
        Assert.Equal("empty", error);
    }
}

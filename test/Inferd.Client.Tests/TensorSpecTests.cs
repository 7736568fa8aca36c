using Inferd.Abstractions.Tensors;

namespace Inferd.Client.Tests;

public sealed class TensorSpecTests
{
    [Fact]
    public void Parse_Int32Example_BuildsTensor()
    {
        var tensor = TensorSpec.Parse("INPUT0:INT32:1,4:1,2,3,4");

        Assert.Equal("INPUT0", tensor.Name);
        Assert.Equal(DataType.Int32, tensor.DataType);
        Assert.Equal([1L, 4L], tensor.Shape);
        Assert.Equal([1, 2, 3, 4], tensor.AsInt32s());
    }

    [Fact]
    public void Parse_NameWithColon_KeepsWholeName()
    {
        var tensor = TensorSpec.Parse("input_1:0:fp32:[2]:0.5, -1");

        Assert.Equal("input_1:0", tensor.Name);
        Assert.Equal([0.5f, -1f], tensor.AsFloats());
    }

    [Fact]
    public void Parse_BytesAsJsonArray_AllowsCommasAndColons()
    {
        var tensor = TensorSpec.Parse("text:BYTES:2:[\"a,b\",\"c:d\"]");

        Assert.Equal(["a,b", "c:d"], tensor.AsStrings());
    }

    [Fact]
    public void Parse_ScalarAndNonFinite_Accepted()
    {
        var scalar = TensorSpec.Parse("x:FP64::nan");
        var inf = TensorSpec.Parse("y:FP32:2:inf,-inf");

        Assert.Empty(scalar.Shape);
        Assert.True(double.IsNaN(scalar.AsDoubles()[0]));
        Assert.Equal([float.PositiveInfinity, float.NegativeInfinity], inf.AsFloats());
    }

    [Fact]
    public void Parse_BoolAndFp16_Accepted()
    {
        Assert.Equal([true, false, true], TensorSpec.Parse("b:BOOL:3:true,0,1").AsBools());
        Assert.Equal([(Half)0.5], TensorSpec.Parse("h:FP16:1:0.5").AsHalves());
    }

    [Theory]
    [InlineData("x:INT32:1,4:1,2,3", "3 values given")]
    [InlineData("x:INT8:1:300", "not a valid INT8")]
    [InlineData("x:FLOAT:1:1", "is not NAME:DATATYPE:SHAPE:VALUES")]
    [InlineData("x:INT32:1", "is not NAME:DATATYPE:SHAPE:VALUES")]
    [InlineData(":INT32:1:1", "name is empty")]
    public void Parse_Invalid_ThrowsWithReason(string spec, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TensorSpec.Parse(spec));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}

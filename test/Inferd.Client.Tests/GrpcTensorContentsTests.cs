using Inferd.Abstractions.Tensors;
using Inferd.Client.Internal;

namespace Inferd.Client.Tests;

public sealed class GrpcTensorContentsTests
{
    public static TheoryData<ClientTensor> Tensors() =>
    [
        ClientTensor.FromBools("a", [2], [true, false]),
        ClientTensor.FromUInt8s("a", [2], [0, 255]),
        ClientTensor.FromUInt16s("a", [1], [65535]),
        ClientTensor.FromInt8s("a", [2], [-128, 127]),
        ClientTensor.FromInt16s("a", [1], [-32768]),
        ClientTensor.FromInt32s("a", [1], [-5]),
        ClientTensor.FromInt64s("a", [1], [long.MinValue]),
        ClientTensor.FromUInt32s("a", [1], [uint.MaxValue]),
        ClientTensor.FromUInt64s("a", [1], [ulong.MaxValue]),
        ClientTensor.FromFloats("a", [1], [0.1f]),
        ClientTensor.FromDoubles("a", [1], [0.1]),
        ClientTensor.FromStrings("a", [2], ["x", ""]),
    ];

    [Theory]
    [MemberData(nameof(Tensors))]
    public void TypedContents_RoundTrip_KeepsBinaryLayout(ClientTensor tensor)
    {
        var contents = GrpcTensorContents.ToContents(tensor);

        var back = GrpcTensorContents.FromContents(contents, tensor.Name, tensor.DataType, tensor.ElementCount);

        Assert.Equal(tensor.Data.ToArray(), back);
    }

    [Fact]
    public void FromContents_WrongCount_Throws()
    {
        var contents = GrpcTensorContents.ToContents(ClientTensor.FromInt32s("a", [2], [1, 2]));

        Assert.Throws<FormatException>(() => GrpcTensorContents.FromContents(contents, "a", DataType.Int32, 3));
    }

    [Fact]
    public void HasTypedForm_Fp16AndBf16_False()
    {
        Assert.False(GrpcTensorContents.HasTypedForm(DataType.Fp16));
        Assert.False(GrpcTensorContents.HasTypedForm(DataType.Bf16));
        Assert.True(GrpcTensorContents.HasTypedForm(DataType.Bytes));
    }
}

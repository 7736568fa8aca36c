using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.Grpc;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;
using static Inferd.Protocol.Tests.Requests;

namespace Inferd.Protocol.Tests;

public sealed class InferResponseMapperTests
{
    [Fact]
    public void ToProto_Default_RawOutputsInOrder()
    {
        // Arrange
        var response = Response(
            new InferenceTensor("b", DataType.UInt8, [2], new byte[] { 1, 2 }),
            new InferenceTensor("a", DataType.Fp16, [1], new byte[] { 0x00, 0x3C }));

        // Act
        var proto = response.ToProto();

        // Assert
        Assert.Equal("m", proto.ModelName);
        Assert.Equal("1", proto.ModelVersion);
        Assert.Equal("req-1", proto.Id);
        Assert.Equal(["b", "a"], proto.Outputs.Select(o => o.Name));
        Assert.Equal(["UINT8", "FP16"], proto.Outputs.Select(o => o.Datatype));
        Assert.Equal([2L], proto.Outputs[0].Shape);
        Assert.Equal(2, proto.RawOutputContents.Count);
        Assert.Equal([1, 2], proto.RawOutputContents[0].ToByteArray());
        Assert.Equal([0x00, 0x3C], proto.RawOutputContents[1].ToByteArray());
        Assert.All(proto.Outputs, o => Assert.Null(o.Contents));
        Assert.All(proto.Outputs, o => Assert.Empty(o.Parameters));
    }

    [Fact]
    public void ToProto_NullId_EmptyOnWire()
    {
        var response = new InferenceResponse("m", "1", null, [], []);

        Assert.Equal("", response.ToProto().Id);
    }

    [Theory]
    [MemberData(nameof(TypedCases.DataTypeNames), MemberType = typeof(TypedCases))]
    public void ToProto_Typed_RoundTripsTypedRequestContents(string datatype)
    {
        // Arrange: typed request -> binary layout -> typed response must reproduce the contents.
        var (contents, _) = TypedCases.For(datatype);
        var input = Input("x", datatype, 3);
        input.Contents = contents;
        var tensor = Assert.Single(WithInputs(input).ToCore(new RequestLimits()).Inputs);
        var response = Response(tensor);

        // Act
        var proto = response.ToProto(OutputContentsMode.Typed);

        // Assert
        Assert.Empty(proto.RawOutputContents);
        Assert.Equal(contents, proto.Outputs[0].Contents);
    }

    [Fact]
    public void ToProto_TypedWithFp16_FallsBackToRaw()
    {
        var response = Response(
            new InferenceTensor("a", DataType.Fp32, [1], BitConverter.GetBytes(1f)),
            new InferenceTensor("b", DataType.Fp16, [1], new byte[] { 0x00, 0x3C }));

        var proto = response.ToProto(OutputContentsMode.Typed);

        Assert.Equal(2, proto.RawOutputContents.Count);
        Assert.All(proto.Outputs, o => Assert.Null(o.Contents));
    }

    private static InferenceResponse Response(params InferenceTensor[] outputs) =>
        new("m", "1", "req-1", outputs, outputs.Select(_ => (RequestedOutput?)null).ToArray());
}

using System.Buffers.Binary;
using Inferd.Protocol.V2;

namespace Inferd.Bench.Tests;

public sealed class GrpcBodyTests
{
    [Fact]
    public void Frame_MlpRequest_FlagZeroThenBigEndianLengthThenMessage()
    {
        var request = GrpcBody.Request("mlp-batched", batchSize: 2);

        var body = GrpcBody.Frame(request);

        Assert.Equal(0, body[0]);
        Assert.Equal((uint)(body.Length - 5), BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4)));
        var decoded = ModelInferRequest.Parser.ParseFrom(body.AsSpan(5));
        Assert.Equal("mlp-batched", decoded.ModelName);
        Assert.Equal([2L, 64], Assert.Single(decoded.Inputs).Shape);
        Assert.Equal(2 * 64 * sizeof(float), Assert.Single(decoded.RawInputContents).Length);
    }

    [Fact]
    public void Request_ZeroBatch_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GrpcBody.Request("noop", batchSize: 0));
    }
}

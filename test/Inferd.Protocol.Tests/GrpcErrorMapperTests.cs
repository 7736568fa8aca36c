using Grpc.Core;
using Inferd.Abstractions.Inference;
using Inferd.Protocol.Grpc;

namespace Inferd.Protocol.Tests;

public sealed class GrpcErrorMapperTests
{
    [Theory]
    [InlineData(InferenceErrorKind.InvalidInput, StatusCode.InvalidArgument)]
    [InlineData(InferenceErrorKind.PayloadTooLarge, StatusCode.ResourceExhausted)]
    [InlineData(InferenceErrorKind.ModelNotFound, StatusCode.NotFound)]
    [InlineData(InferenceErrorKind.ModelNotReady, StatusCode.Unavailable)]
    [InlineData(InferenceErrorKind.Overloaded, StatusCode.Unavailable)]
    [InlineData(InferenceErrorKind.DeadlineExceeded, StatusCode.DeadlineExceeded)]
    [InlineData(InferenceErrorKind.Cancelled, StatusCode.Cancelled)]
    [InlineData(InferenceErrorKind.Unsupported, StatusCode.Unimplemented)]
    [InlineData(InferenceErrorKind.Forbidden, StatusCode.PermissionDenied)]
    [InlineData(InferenceErrorKind.Internal, StatusCode.Internal)]
    public void ToStatusCode_EveryKind_MatchesProtocolTable(InferenceErrorKind kind, StatusCode expected)
    {
        Assert.Equal(expected, kind.ToStatusCode());
    }

    [Fact]
    public void ToStatusCode_EveryKind_IsCoveredByTable()
    {
        // A new kind must be added to the table above; this fails when the enum grows.
        Assert.Equal(10, Enum.GetValues<InferenceErrorKind>().Length);
    }

    [Fact]
    public void ToRpcException_CarriesCodeAndMessageOnly()
    {
        var inner = new InvalidOperationException("secret /models/path");
        var error = new InferenceException(InferenceErrorKind.ModelNotFound, "model not found", inner);

        var rpc = error.ToRpcException();

        Assert.Equal(StatusCode.NotFound, rpc.StatusCode);
        Assert.Equal("model not found", rpc.Status.Detail);
        Assert.DoesNotContain("secret", rpc.Message, StringComparison.Ordinal);
    }
}

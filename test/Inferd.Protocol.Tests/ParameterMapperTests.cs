using Google.Protobuf;
using Inferd.Abstractions.Inference;
using Inferd.Protocol.Grpc;
using Inferd.Protocol.V2;

namespace Inferd.Protocol.Tests;

public sealed class ParameterMapperTests
{
    public static TheoryData<ParameterValue> Values =>
    [
        ParameterValue.FromBool(true),
        ParameterValue.FromInt64(-42),
        ParameterValue.FromUInt64(ulong.MaxValue),
        ParameterValue.FromDouble(0.25),
        ParameterValue.FromString("np"),
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void ToProtoThenToCore_EveryKind_RoundTrips(ParameterValue value)
    {
        Assert.Equal(value, value.ToProto().ToCore());
    }

    [Fact]
    public void ToProto_UInt64_UsesUint64Param()
    {
        Assert.Equal(InferParameter.ParameterChoiceOneofCase.Uint64Param, ParameterValue.FromUInt64(7).ToProto().ParameterChoiceCase);
    }

    [Fact]
    public void ToCore_NoValueSet_InvalidInput()
    {
        var error = Assert.Throws<InferenceException>(() => new InferParameter().ToCore());

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
    }

    [Fact]
    public void RepositoryToCore_BytesParam_BecomesStringKeepingKey()
    {
        // Arrange: Triton's file upload shape; the facade refuses it by key.
        var parameters = new RepositoryModelLoadRequest().Parameters;
        parameters.Add("file:1/model.onnx", new ModelRepositoryParameter { BytesParam = ByteString.CopyFrom(1, 2, 3) });
        parameters.Add("config", new ModelRepositoryParameter { StringParam = "{}" });
        parameters.Add("unload_dependents", new ModelRepositoryParameter { BoolParam = true });

        // Act
        var core = RepositoryParameterMapper.ToCore(parameters, new RequestLimits());

        // Assert
        Assert.Equal(ParameterKind.String, core["file:1/model.onnx"].Kind);
        Assert.Equal("AQID", core["file:1/model.onnx"].String);
        Assert.Equal(ParameterValue.FromString("{}"), core["config"]);
        Assert.Equal(ParameterValue.FromBool(true), core["unload_dependents"]);
    }

    [Fact]
    public void RepositoryToCore_TooMany_InvalidInput()
    {
        var parameters = new RepositoryModelLoadRequest().Parameters;
        parameters.Add("a", new ModelRepositoryParameter { BoolParam = true });
        parameters.Add("b", new ModelRepositoryParameter { BoolParam = true });

        var error = Assert.Throws<InferenceException>(() => RepositoryParameterMapper.ToCore(parameters, new RequestLimits { MaxParameters = 1 }));

        Assert.Equal(InferenceErrorKind.InvalidInput, error.Kind);
    }

    [Theory]
    [InlineData("", "resnet", "resnet")]
    [InlineData("resnet", "", "resnet")]
    [InlineData("repo", "resnet", "resnet")]
    [InlineData("", "", "")]
    public void ResolveModelName_TritonAndKServeShapes_PicksModelName(string repositoryName, string modelName, string expected)
    {
        Assert.Equal(expected, RepositoryParameterMapper.ResolveModelName(repositoryName, modelName));
    }
}

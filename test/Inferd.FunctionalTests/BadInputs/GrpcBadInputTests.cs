using Google.Protobuf;
using Grpc.Core;
using Inferd.Protocol.V2;
using Inferd.Testing;

namespace Inferd.FunctionalTests.BadInputs;

/// <summary>bad-inputs.md catalogue over gRPC; each case ends by checking the server still serves.</summary>
public sealed class GrpcBadInputTests(StandardServer fixture) : IClassFixture<StandardServer>
{
    public static TheoryData<string> Cases() => new(Mutations.Keys);

    private static readonly Dictionary<string, (Func<ModelInferRequest, ModelInferRequest> Mutate, StatusCode Expected)> Mutations = new()
    {
        ["1 raw size mismatch"] = (r => { r.RawInputContents[0] = ByteString.CopyFrom(new byte[60]); return r; }, StatusCode.InvalidArgument),
        ["1 typed count mismatch"] = (r =>
        {
            r.RawInputContents.Clear();
            foreach (var i in r.Inputs)
            {
                i.Contents = new InferTensorContents();
                i.Contents.IntContents.Add([1, 2, 3]);
            }

            return r;
        }, StatusCode.InvalidArgument),
        ["2 wrong datatype"] = (r => { r.Inputs[0].Datatype = "INT64"; r.RawInputContents[0] = ByteString.CopyFrom(new byte[128]); return r; }, StatusCode.InvalidArgument),
        ["2 unknown datatype"] = (r => { r.Inputs[0].Datatype = "FLOAT"; return r; }, StatusCode.InvalidArgument),
        ["3 missing input"] = (r => { r.Inputs.RemoveAt(1); r.RawInputContents.RemoveAt(1); return r; }, StatusCode.InvalidArgument),
        ["3 duplicate input"] = (r => { r.Inputs[1].Name = "INPUT0"; return r; }, StatusCode.InvalidArgument),
        ["3 duplicate output"] = (r => { r.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "OUTPUT0" }); r.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "OUTPUT0" }); return r; }, StatusCode.InvalidArgument),
        ["4 negative dim"] = (r => { r.Inputs[0].Shape[0] = -1; return r; }, StatusCode.InvalidArgument),
        ["4 batch over max"] = (r => { r.Inputs[0].Shape[0] = 9; r.Inputs[1].Shape[0] = 9; r.RawInputContents[0] = ByteString.CopyFrom(new byte[576]); r.RawInputContents[1] = ByteString.CopyFrom(new byte[576]); return r; }, StatusCode.InvalidArgument),
        ["5 allocation bomb"] = (r => { r.Inputs[0].Shape.Clear(); r.Inputs[0].Shape.Add([16, 1152921504606846978]); return r; }, StatusCode.InvalidArgument),
        ["15 raw count below inputs"] = (r => { r.RawInputContents.RemoveAt(1); return r; }, StatusCode.InvalidArgument),
        ["15 raw count above inputs"] = (r => { r.RawInputContents.Add(ByteString.CopyFrom(new byte[64])); return r; }, StatusCode.InvalidArgument),
        ["15 raw and typed mixed"] = (r => { r.Inputs[0].Contents = new InferTensorContents(); r.Inputs[0].Contents.IntContents.Add(Enumerable.Range(0, 16)); return r; }, StatusCode.InvalidArgument),
        ["17 unknown model"] = (r => { r.ModelName = "nope"; return r; }, StatusCode.NotFound),
        ["17 unknown version"] = (r => { r.ModelVersion = "9"; return r; }, StatusCode.NotFound),
        ["19 traversal model name"] = (r => { r.ModelName = "../etc"; return r; }, StatusCode.InvalidArgument),
        ["21 shared memory parameter"] = (r => { r.Parameters["shared_memory_region"] = new InferParameter { StringParam = "r" }; return r; }, StatusCode.InvalidArgument),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ModelInfer_BadRequest_ProperStatusAndServerStillServes(string row)
    {
        var (mutate, expected) = Mutations[row];
        var request = mutate(GrpcHelpers.SimpleRaw());

        var status = await GrpcHelpers.StatusOfAsync(() => fixture.Server.Grpc.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(expected, status);
        await GrpcHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task ModelInfer_MalformedProtobuf_ErrorStatusAndServerStillServes()
    {
        var method = new Method<byte[], byte[]>(MethodType.Unary, "inference.GRPCInferenceService", "ModelInfer", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        var invoker = fixture.Server.Channel.CreateCallInvoker();
        byte[] garbage = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02];

        var status = await GrpcHelpers.StatusOfAsync(() => invoker.AsyncUnaryCall(method, null, new CallOptions(), garbage).ResponseAsync);

        Assert.NotEqual(StatusCode.OK, status);
        await GrpcHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task SharedMemoryRpcs_AreUnimplemented()
    {
        var status = await GrpcHelpers.StatusOfAsync(() => fixture.Server.Grpc.SystemSharedMemoryRegisterAsync(new SystemSharedMemoryRegisterRequest { Name = "r", Key = "/k", ByteSize = 8 }).ResponseAsync);

        Assert.Equal(StatusCode.Unimplemented, status);
        await GrpcHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task ModelInfer_BytesPrefixPastEnd_InvalidArgument()
    {
        var request = new ModelInferRequest { ModelName = "strings" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "INPUT0", Datatype = "BYTES" };
        input.Shape.Add(1);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom([200, 0, 0, 0, 1, 2]));

        var status = await GrpcHelpers.StatusOfAsync(() => fixture.Server.Grpc.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, status);
        await GrpcHelpers.AssertStillServesAsync(fixture.Server);
    }

    [Fact]
    public async Task ModelStreamInfer_BadRequestInStream_ErrorMessageAndStreamStaysOpen()
    {
        using var call = fixture.Server.Grpc.ModelStreamInfer();
        var bad = GrpcHelpers.SimpleRaw();
        bad.Id = "bad";
        bad.RawInputContents.RemoveAt(1);

        await call.RequestStream.WriteAsync(bad).DefaultTimeout();
        await call.RequestStream.WriteAsync(GrpcHelpers.SimpleRaw()).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        var responses = new List<ModelStreamInferResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout())
        {
            responses.Add(call.ResponseStream.Current);
        }

        Assert.Equal(2, responses.Count);
        Assert.NotEmpty(responses[0].ErrorMessage);
        Assert.Empty(responses[1].ErrorMessage);
        Assert.Equal("g1", responses[1].InferResponse.Id);
    }

    [Fact]
    public async Task ModelInfer_RawBoolByteOtherThanZeroOrOne_InvalidArgument()
    {
        var request = new ModelInferRequest { ModelName = "bools" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "INPUT0", Datatype = "BOOL" };
        input.Shape.Add([1, 4]);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom([0, 1, 255, 1]));

        var status = await GrpcHelpers.StatusOfAsync(() => fixture.Server.Grpc.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, status);
        await GrpcHelpers.AssertStillServesAsync(fixture.Server);
    }
}

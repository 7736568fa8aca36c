using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;
using Inferd.Testing;
using Inferd.Testing.Models;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests.BadInputs;

/// <summary>Size limits at their boundary (bad-inputs.md rows 10, 15; T3): the limit passes, limit + 1 fails.</summary>
public sealed class LimitTests
{
    private const int Limit = 64 * 1024;

    private static Task<InferdTestServer> StartAsync() => InferdTestServer.StartAsync(
        root =>
        {
            ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig);
            ModelRepositoryBuilder.Add(root, "bytes", TestModels.Identity(DataType.UInt8, [-1]), """{"max_batch_size": 0}""");
        },
        limits: new RequestLimits { MaxRequestBytes = Limit, MaxResponseBytes = 4 * Limit });

    [Fact]
    public async Task Rest_BodyOverLimit_413AndServerStillServes()
    {
        await using var server = await StartAsync();
        var body = "{\"inputs\": [], \"pad\": \"" + new string('x', Limit) + "\"}";

        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/simple/infer", body));

        RestHelpers.AssertError(answer, HttpStatusCode.RequestEntityTooLarge);
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Grpc_MessageAtAndOverLimit_AcceptedThenResourceExhausted()
    {
        await using var server = await StartAsync();
        // Overhead of the message around the raw bytes: name, datatype, shape and field tags, well under 64 bytes.
        var atLimit = Request(Limit - 64);
        var overLimit = Request(Limit + 1);

        var ok = await GrpcHelpers.StatusOfAsync(() => server.Grpc.ModelInferAsync(atLimit).ResponseAsync);
        var tooBig = await Assert.ThrowsAsync<RpcException>(() => server.Grpc.ModelInferAsync(overLimit).ResponseAsync).DefaultTimeout();

        Assert.Equal(StatusCode.OK, ok);
        Assert.True(tooBig.StatusCode == StatusCode.ResourceExhausted, $"{tooBig.StatusCode}: {tooBig.Status.Detail}");
        await GrpcHelpers.AssertStillServesAsync(server);
    }

    private static ModelInferRequest Request(int bytes)
    {
        var request = new ModelInferRequest { ModelName = "bytes" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = TestModels.Input0, Datatype = "UINT8" };
        input.Shape.Add(bytes);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[bytes]));
        return request;
    }

    [Fact]
    public async Task Rest_BodyFarBeyondWhatTheModelCanNeed_413WithoutTheGlobalLimit()
    {
        await using var server = await InferdTestServer.StartAsync(root => ModelRepositoryBuilder.Add(root, "simple", TestModels.AddSub(DataType.Int32, [-1, 16]), StandardServer.SimpleConfig));
        // simple takes at most 8 x 2 x 16 INT32 elements; 1 MiB is far more than their JSON can need.
        var body = "{\"inputs\": [], \"pad\": \"" + new string('x', 1024 * 1024) + "\"}";

        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/simple/infer", body));

        RestHelpers.AssertError(answer, HttpStatusCode.RequestEntityTooLarge);
        await RestHelpers.AssertStillServesAsync(server);
    }

    [Fact]
    public async Task Rest_UnknownModel_404BeforeTheBodyIsRead()
    {
        await using var server = await StartAsync();
        var body = "{\"inputs\": [], \"pad\": \"" + new string('x', Limit - 100) + "\"}";

        var answer = await RestHelpers.SendAsync(server, RestHelpers.Json("/v2/models/nope/infer", body));

        RestHelpers.AssertError(answer, HttpStatusCode.NotFound);
        await RestHelpers.AssertStillServesAsync(server);
    }
}

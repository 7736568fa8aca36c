using Google.Protobuf;
using Grpc.Core;
using Inferd.Protocol.V2;
using Inferd.Testing;
using Inferd.Testing.Server;

namespace Inferd.FunctionalTests;

internal static class GrpcHelpers
{
    public static ModelInferRequest SimpleRaw(int batch = 1)
    {
        var request = new ModelInferRequest { ModelName = "simple", Id = "g1" };
        var a = new int[batch * 16];
        var b = new int[batch * 16];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = i % 16;
            b[i] = 1;
        }

        foreach (var (name, data) in new[] { ("INPUT0", a), ("INPUT1", b) })
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = "INT32" };
            input.Shape.Add([batch, 16]);
            request.Inputs.Add(input);
            var bytes = new byte[data.Length * 4];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            request.RawInputContents.Add(ByteString.CopyFrom(bytes));
        }

        return request;
    }

    public static async Task<StatusCode> StatusOfAsync(Func<Task> call)
    {
        try
        {
            await call().DefaultTimeout();
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            Assert.True(ex.Status.Detail.Length <= 600, "gRPC error detail is not bounded");
            return ex.StatusCode;
        }
    }

    public static async Task AssertStillServesAsync(InferdTestServer server)
    {
        var live = await server.Grpc.ServerLiveAsync(new ServerLiveRequest()).ResponseAsync.DefaultTimeout();
        Assert.True(live.Live);
        var response = await server.Grpc.ModelInferAsync(SimpleRaw()).ResponseAsync.DefaultTimeout();
        var sum = new int[16];
        Buffer.BlockCopy(response.RawOutputContents[0].ToByteArray(), 0, sum, 0, 64);
        Assert.Equal(Enumerable.Range(1, 16), sum);
        await RestHelpers.AssertStillServesAsync(server);
    }
}

using System.Buffers.Binary;
using Google.Protobuf;
using Inferd.Protocol.V2;
using Inferd.Testing.Models;

namespace Inferd.FunctionalTests;

/// <summary>Requests for the Slow test model (INPUT0 FP32 [1,256] plus an iteration count), over REST and gRPC.</summary>
internal static class SlowModelRequests
{
    /// <summary>A binary-extension JSON header; the 1,024 bytes of INPUT0 follow it. No timeout when null.</summary>
    public static string RestHeader(long iterations, long? timeoutMicros = null) => $$"""
        {"inputs": [
          {"name": "{{TestModels.Input0}}", "datatype": "FP32", "shape": [1, 256], "parameters": {"binary_data_size": 1024} },
          {"name": "{{TestModels.SlowIterations}}", "datatype": "INT64", "shape": [1], "data": [{{iterations}}]}]
         {{(timeoutMicros is { } t ? $", \"parameters\": {{\"timeout\": {t} }}" : "")}} }
        """;

    public static ModelInferRequest Grpc(long iterations)
    {
        var request = new ModelInferRequest { ModelName = "slow" };
        var x = new ModelInferRequest.Types.InferInputTensor { Name = TestModels.Input0, Datatype = "FP32" };
        x.Shape.Add([1, 256]);
        var n = new ModelInferRequest.Types.InferInputTensor { Name = TestModels.SlowIterations, Datatype = "INT64" };
        n.Shape.Add(1);
        request.Inputs.Add(x);
        request.Inputs.Add(n);
        var count = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(count, iterations);
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[1024]));
        request.RawInputContents.Add(ByteString.CopyFrom(count));
        return request;
    }
}

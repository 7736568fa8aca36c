using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Inferd.Protocol.V2;
using Inferd.Testing.Models;

namespace Inferd.Bench;

/// <summary>
/// A gRPC request body for clients that send a fixed body, such as <c>h2load -d</c>: one length-prefixed message,
/// <c>0x00</c> (not compressed) + 4-byte big-endian length + the serialized <see cref="ModelInferRequest"/>.
/// </summary>
internal static class GrpcBody
{
    /// <summary>The request for <paramref name="modelName"/> (a suite model, also a <c>-batched</c> one), FP32 input as raw contents.</summary>
    public static ModelInferRequest Request(string modelName, int batchSize = 1, int seed = 11)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var model = BenchModels.Find(modelName);
        var values = new DeterministicRandom(seed).NextSymmetric(checked((int)(batchSize * model.InputItemElements)), 1f);
        var input = new ModelInferRequest.Types.InferInputTensor { Name = BenchModel.Input, Datatype = "FP32" };
        input.Shape.Add(batchSize);
        input.Shape.AddRange(model.ItemInputShape);
        var request = new ModelInferRequest { ModelName = modelName };
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())));
        return request;
    }

    /// <summary>The framed body: flag byte, big-endian length, message.</summary>
    public static byte[] Frame(IMessage message)
    {
        var size = message.CalculateSize();
        var body = new byte[5 + size];
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1, 4), (uint)size);
        message.WriteTo(body.AsSpan(5));
        return body;
    }
}

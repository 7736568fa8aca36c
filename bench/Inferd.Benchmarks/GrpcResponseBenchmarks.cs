using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Inferd.Abstractions.Inference;
using Inferd.Protocol.Grpc;
using Inferd.Protocol.V2;

namespace Inferd.Benchmarks;

/// <summary>
/// gRPC response mapping, <see cref="InferResponseMapper.ToProto"/>: raw output contents (wrapped, no copy) or typed
/// contents. The Serialize case also writes the message into a reused buffer, as grpc-dotnet writes into its pipe.
/// </summary>
[MemoryDiagnoser]
public class GrpcResponseBenchmarks
{
    private readonly ArrayBufferWriter<byte> _wire = new();
    private InferenceResponse _response = null!;

    /// <summary>FP32 elements in the output tensor.</summary>
    [Params(4, 64, Payloads.Image)]
    public int Elements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _response = Payloads.Response("mlp", "Y", Payloads.Floats(Elements, seed: 2));
        // Grow the buffer once so the measured serialization never pays for it.
        _response.ToProto(OutputContentsMode.Typed).WriteTo(_wire);
        _wire.ResetWrittenCount();
    }

    [Benchmark]
    public ModelInferResponse ToProtoRaw() => _response.ToProto(OutputContentsMode.Raw);

    [Benchmark]
    public ModelInferResponse ToProtoTyped() => _response.ToProto(OutputContentsMode.Typed);

    [Benchmark]
    public int ToProtoRawAndSerialize()
    {
        _wire.ResetWrittenCount();
        _response.ToProto(OutputContentsMode.Raw).WriteTo(_wire);
        return _wire.WrittenCount;
    }
}

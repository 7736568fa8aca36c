using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Inferd.Abstractions.Inference;
using Inferd.Protocol.Grpc;
using Inferd.Protocol.V2;

namespace Inferd.Benchmarks;

/// <summary>
/// gRPC request mapping, <see cref="InferRequestMapper.ToCore"/>: typed <c>fp32_contents</c> (encoded into a new
/// buffer) and <c>raw_input_contents</c> (handed through). The Parse* cases add protobuf parsing from the wire bytes,
/// as the server does it; parsing copies a bytes field out of the frame, so raw tensors are copied once there.
/// </summary>
[MemoryDiagnoser]
public class GrpcRequestBenchmarks
{
    private readonly RequestLimits _limits = new();
    private ModelInferRequest _typed = null!;
    private ModelInferRequest _raw = null!;
    private ReadOnlySequence<byte> _typedWire;
    private ReadOnlySequence<byte> _rawWire;

    /// <summary>FP32 elements in the input tensor.</summary>
    [Params(4, 64, Payloads.Image)]
    public int Elements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var values = Payloads.Floats(Elements);
        _typed = Payloads.GrpcTyped("mlp", "X", values);
        _raw = Payloads.GrpcRaw("mlp", "X", values);
        _typedWire = new ReadOnlySequence<byte>(_typed.ToByteArray());
        _rawWire = new ReadOnlySequence<byte>(_raw.ToByteArray());
    }

    [Benchmark]
    public InferenceRequest TypedToCore() => _typed.ToCore(_limits);

    [Benchmark]
    public InferenceRequest RawToCore() => _raw.ToCore(_limits);

    [Benchmark]
    public InferenceRequest ParseTypedToCore() => ModelInferRequest.Parser.ParseFrom(_typedWire).ToCore(_limits);

    [Benchmark]
    public InferenceRequest ParseRawToCore() => ModelInferRequest.Parser.ParseFrom(_rawWire).ToCore(_limits);
}

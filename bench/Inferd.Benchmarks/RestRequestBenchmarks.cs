using BenchmarkDotNet.Attributes;
using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Hosting.Rest;

namespace Inferd.Benchmarks;

/// <summary>
/// REST request decoding through <see cref="InferRequestReader.Read"/>, the entry point the infer handler calls with the
/// whole body: plain JSON (<see cref="JsonTensorDecoder"/> fills a new buffer), the binary data extension (tensor bytes
/// are sliced from the body, no copy) and a raw binary body (<c>Inference-Header-Content-Length: 0</c>).
/// </summary>
[MemoryDiagnoser]
public class RestRequestBenchmarks
{
    private readonly RequestLimits _limits = new();
    private byte[] _json = [];
    private byte[] _binary = [];
    private string _binaryHeaderLength = "";
    private byte[] _raw = [];
    private Func<RawInputSpec> _rawSpec = null!;

    /// <summary>FP32 elements in the input tensor: noop-sized, mlp-sized, one 224×224 RGB image.</summary>
    [Params(4, 64, Payloads.Image)]
    public int Elements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var values = Payloads.Floats(Elements);
        _json = Payloads.JsonRequest("X", values);
        (_binary, _binaryHeaderLength) = Payloads.BinaryRequest("X", "Y", values);
        _raw = Payloads.Bytes(values);
        var spec = new RawInputSpec([new TensorSignature("X", DataType.Fp32, [-1, .. Payloads.Shape(Elements)[1..]])], Batches: true);
        _rawSpec = () => spec;
    }

    [Benchmark]
    public InferenceRequest DecodeJson() => InferRequestReader.Read(_json, null, "mlp", null, _limits, _rawSpec);

    [Benchmark]
    public InferenceRequest DecodeBinaryExtension() => InferRequestReader.Read(_binary, _binaryHeaderLength, "mlp", null, _limits, _rawSpec);

    [Benchmark]
    public InferenceRequest DecodeRawBody() => InferRequestReader.Read(_raw, "0", "mlp", null, _limits, _rawSpec);
}

using BenchmarkDotNet.Attributes;
using Inferd.Abstractions.Inference;
using Inferd.Hosting.Rest;

namespace Inferd.Benchmarks;

/// <summary>
/// REST response encoding through <see cref="InferResponseWriter.Write"/>: outputs as JSON text, or binary (the JSON
/// header only; the output bytes are appended as a tail without a copy).
/// </summary>
[MemoryDiagnoser]
public class RestResponseBenchmarks
{
    private InferenceResponse _response = null!;

    /// <summary>FP32 elements in the output tensor.</summary>
    [Params(4, 64, Payloads.Image)]
    public int Elements { get; set; }

    [GlobalSetup]
    public void Setup() => _response = Payloads.Response("mlp", "Y", Payloads.Floats(Elements, seed: 2));

    [Benchmark]
    public object WriteJson() => InferResponseWriter.Write(_response, binaryByDefault: false);

    [Benchmark]
    public object WriteBinary() => InferResponseWriter.Write(_response, binaryByDefault: true);
}

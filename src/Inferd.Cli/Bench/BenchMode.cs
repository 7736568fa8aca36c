namespace Inferd.Cli.Bench;

/// <summary>What <c>inferd bench</c> drives (benchmarks.md, "Modes").</summary>
internal enum BenchMode
{
    /// <summary>In-process ONNX Runtime with pre-allocated OrtValues: the model ceiling.</summary>
    Raw,

    /// <summary>In-process producers through Inferd's <c>InferenceService</c> (scheduler, no transport).</summary>
    RawBatcher,

    /// <summary>REST with typed JSON tensors.</summary>
    HttpJson,

    /// <summary>REST with the binary tensor extension.</summary>
    HttpBinary,

    /// <summary>gRPC with typed <c>InferTensorContents</c>.</summary>
    GrpcTyped,

    /// <summary>gRPC with <c>raw_input_contents</c>.</summary>
    GrpcRaw,
}

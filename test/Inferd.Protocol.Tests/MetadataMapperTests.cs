using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.Grpc;

namespace Inferd.Protocol.Tests;

public sealed class MetadataMapperTests
{
    [Fact]
    public void ToProto_ModelMetadata_MapsTensors()
    {
        var metadata = new ModelMetadata("m", ["1", "2"], "onnxruntime_onnx",
            [new TensorSignature("x", DataType.Bytes, [-1, 3])], [new TensorSignature("y", DataType.Fp32, [-1])]);

        var proto = metadata.ToProto();

        Assert.Equal(["1", "2"], proto.Versions);
        Assert.Equal(("x", "BYTES"), (proto.Inputs[0].Name, proto.Inputs[0].Datatype));
        Assert.Equal([-1L, 3L], proto.Inputs[0].Shape);
        Assert.Equal("FP32", proto.Outputs[0].Datatype);
    }

    [Fact]
    public void ToProto_ServerMetadata_MapsExtensions()
    {
        var proto = new ServerMetadata("inferd", "0.1.0", ["binary_tensor_data", "statistics"]).ToProto();

        Assert.Equal(("inferd", "0.1.0"), (proto.Name, proto.Version));
        Assert.Equal(["binary_tensor_data", "statistics"], proto.Extensions);
    }

    [Fact]
    public void ToProto_Statistics_MapsDurationsAndBatches()
    {
        var d = new DurationStat(2, 300);
        var stats = new ModelStatistics("m", "1", 1234, 5, 4, new InferStatistics(d, d, d, d, d, d, d, new DurationStat(9, 10)),
            [new BatchStatistics(8, d, d, new DurationStat(1, 7))]);

        var proto = new[] { stats }.ToProto();

        var s = Assert.Single(proto.ModelStats);
        Assert.Equal((1234UL, 5UL, 4UL), (s.LastInference, s.InferenceCount, s.ExecutionCount));
        Assert.Equal((2UL, 300UL), (s.InferenceStats.Success.Count, s.InferenceStats.Success.Ns));
        Assert.Equal(9UL, s.InferenceStats.CacheMiss.Count);
        Assert.Equal((8UL, 7UL), (s.BatchStats[0].BatchSize, s.BatchStats[0].ComputeOutput.Ns));
    }

    [Fact]
    public void ToProto_RepositoryIndex_UsesTritonStateNames()
    {
        var proto = new[]
        {
            new RepositoryIndexEntry("a", "1", ModelState.Ready, ""),
            new RepositoryIndexEntry("b", "", ModelState.Unavailable, "unloaded"),
        }.ToProto();

        Assert.Equal(["READY", "UNAVAILABLE"], proto.Models.Select(m => m.State));
        Assert.Equal("unloaded", proto.Models[1].Reason);
    }
}

using System.Reflection;
using Google.Protobuf.Reflection;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.Grpc;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;
using ModelConfig = Inferd.Abstractions.Configuration.ModelConfig;
using ProtoDataType = Inferd.Protocol.V2.DataType;

namespace Inferd.Protocol.Tests;

public sealed class ModelConfigMapperTests
{
    [Fact]
    public void ToProto_EveryDataType_HasSameConfigName()
    {
        foreach (var type in Enum.GetValues<DataType>())
        {
            var proto = type.ToProto();
            var originalName = typeof(ProtoDataType).GetField(proto.ToString())!.GetCustomAttribute<OriginalNameAttribute>()!.Name;
            Assert.Equal(type.ToConfigName(), originalName);
        }
    }

    [Fact]
    public void ToProto_FullRecord_MapsEveryField()
    {
        // Arrange
        var config = new ModelConfig
        {
            Name = "churn",
            Platform = "onnxruntime_onnx",
            Backend = "onnxruntime",
            MaxBatchSize = 64,
            Inputs = [new TensorConfig("features", DataType.Fp32, [12]) { Optional = true, Format = TensorFormat.Nchw }],
            Outputs = [new TensorConfig("label", DataType.Bytes, [1]) { LabelFilename = "labels.txt" }],
            VersionPolicy = new VersionPolicy(VersionPolicyKind.Specific, 0, [1, 3]),
            InstanceGroups = [new InstanceGroup("g", 2, InstanceKind.Gpu, [0, 1])],
            DefaultModelFilename = "model.onnx",
            Parameters = new Dictionary<string, string> { ["intra_op_thread_count"] = "1" },
            GraphOptimizationLevel = 1,
            GpuExecutionAccelerators = ["cuda"],
            DynamicBatching = new DynamicBatchingConfig([4, 8], 500, true),
            ResponseCacheEnabled = true,
            Decoupled = false,
        };

        // Act
        var proto = config.ToProto();

        // Assert
        Assert.Equal("churn", proto.Name);
        Assert.Equal("onnxruntime_onnx", proto.Platform);
        Assert.Equal("onnxruntime", proto.Backend);
        Assert.Equal(64, proto.MaxBatchSize);
        var input = Assert.Single(proto.Input);
        Assert.Equal(("features", ProtoDataType.TypeFp32, ModelInput.Types.Format.Nchw, true), (input.Name, input.DataType, input.Format, input.Optional));
        Assert.Equal([12L], input.Dims);
        var output = Assert.Single(proto.Output);
        Assert.Equal(("label", ProtoDataType.TypeString, "labels.txt"), (output.Name, output.DataType, output.LabelFilename));
        Assert.Equal([1L, 3L], proto.VersionPolicy.Specific.Versions);
        var group = Assert.Single(proto.InstanceGroup);
        Assert.Equal(("g", 2, ModelInstanceGroup.Types.Kind.Gpu), (group.Name, group.Count, group.Kind));
        Assert.Equal([0, 1], group.Gpus);
        Assert.Equal("model.onnx", proto.DefaultModelFilename);
        Assert.Equal("1", proto.Parameters["intra_op_thread_count"].StringValue);
        Assert.Equal(1, proto.Optimization.Graph.Level);
        Assert.Equal("cuda", Assert.Single(proto.Optimization.ExecutionAccelerators.GpuExecutionAccelerator).Name);
        Assert.Equal(Inferd.Protocol.V2.ModelConfig.SchedulingChoiceOneofCase.DynamicBatching, proto.SchedulingChoiceCase);
        Assert.Equal([4, 8], proto.DynamicBatching.PreferredBatchSize);
        Assert.Equal(500UL, proto.DynamicBatching.MaxQueueDelayMicroseconds);
        Assert.True(proto.DynamicBatching.PreserveOrdering);
        Assert.True(proto.ResponseCache.Enable);
        Assert.False(proto.ModelTransactionPolicy.Decoupled);
    }

    [Fact]
    public void ToProto_Defaults_LatestOneNoOptimizationNoBatching()
    {
        var proto = new ModelConfig { Name = "m" }.ToProto();

        Assert.Equal(1u, proto.VersionPolicy.Latest.NumVersions);
        Assert.Null(proto.Optimization);
        Assert.Equal(Inferd.Protocol.V2.ModelConfig.SchedulingChoiceOneofCase.None, proto.SchedulingChoiceCase);
        Assert.NotNull(proto.ResponseCache);
        Assert.NotNull(proto.ModelTransactionPolicy);
    }

    [Fact]
    public void ToProto_AllPolicy_SetsAll()
    {
        var proto = new ModelConfig { Name = "m", VersionPolicy = new VersionPolicy(VersionPolicyKind.All, 0, []) }.ToProto();

        Assert.Equal(ModelVersionPolicy.PolicyChoiceOneofCase.All, proto.VersionPolicy.PolicyChoiceCase);
    }
}

using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.Grpc;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;
using ModelConfig = Inferd.Abstractions.Configuration.ModelConfig;
using ModelWarmup = Inferd.Abstractions.Configuration.ModelWarmup;
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

    [Fact]
    public void ToProto_QueuePoliciesAndPriorities_MapsEveryField()
    {
        // Arrange
        var config = new ModelConfig
        {
            Name = "m",
            DynamicBatching = new DynamicBatchingConfig([], 0, false)
            {
                PriorityLevels = 3,
                DefaultPriorityLevel = 2,
                DefaultQueuePolicy = new QueuePolicy(TimeoutAction.Delay, 100_000, false, 1024),
                PriorityQueuePolicy = new Dictionary<int, QueuePolicy>
                {
                    [1] = new(TimeoutAction.Reject, 500, true, 4),
                    [3] = new(TimeoutAction.Delay, 0, false, 0),
                },
            },
        };

        // Act
        var batching = config.ToProto().DynamicBatching;

        // Assert
        Assert.Equal((3UL, 2UL), (batching.PriorityLevels, batching.DefaultPriorityLevel));
        var policy = batching.DefaultQueuePolicy;
        Assert.Equal((ModelQueuePolicy.Types.TimeoutAction.Delay, 100_000UL, false, 1024u), (policy.TimeoutAction, policy.DefaultTimeoutMicroseconds, policy.AllowTimeoutOverride, policy.MaxQueueSize));
        Assert.Equal([1UL, 3UL], batching.PriorityQueuePolicy.Keys.Order());
        var first = batching.PriorityQueuePolicy[1];
        Assert.Equal((ModelQueuePolicy.Types.TimeoutAction.Reject, 500UL, true, 4u), (first.TimeoutAction, first.DefaultTimeoutMicroseconds, first.AllowTimeoutOverride, first.MaxQueueSize));
        Assert.Equal(ModelQueuePolicy.Types.TimeoutAction.Delay, batching.PriorityQueuePolicy[3].TimeoutAction);
    }

    [Fact]
    public void ToProto_DefaultQueuePolicy_IsSentWithOverrideAllowed()
    {
        var proto = new ModelConfig { Name = "m", DynamicBatching = new DynamicBatchingConfig([], 0, false) }.ToProto();

        var policy = proto.DynamicBatching.DefaultQueuePolicy;
        Assert.NotNull(policy);
        Assert.True(policy.AllowTimeoutOverride);
        Assert.Equal((0UL, 0u), (policy.DefaultTimeoutMicroseconds, policy.MaxQueueSize));
        Assert.Empty(proto.DynamicBatching.PriorityQueuePolicy);
    }

    [Fact]
    public void ToProto_ModelWarmup_MapsInputsAndDataSource()
    {
        // Arrange
        var config = new ModelConfig
        {
            Name = "m",
            ModelWarmup =
            [
                new ModelWarmup("sample", 8, new Dictionary<string, WarmupInput>
                {
                    ["a"] = new(DataType.Fp32, [4], WarmupDataSource.Zero, null),
                    ["b"] = new(DataType.Int64, [2, 3], WarmupDataSource.Random, null),
                    ["c"] = new(DataType.Bytes, [1], WarmupDataSource.File, "c.bin"),
                }, 3),
                new ModelWarmup("empty", 0, new Dictionary<string, WarmupInput>(), 1),
            ],
        };

        // Act
        var proto = config.ToProto();

        // Assert
        Assert.Equal(2, proto.ModelWarmup.Count);
        var sample = proto.ModelWarmup[0];
        Assert.Equal(("sample", 8u, 3u), (sample.Name, sample.BatchSize, sample.Count));
        Assert.Equal(3, sample.Inputs.Count);
        var a = sample.Inputs["a"];
        Assert.Equal((ProtoDataType.TypeFp32, Inferd.Protocol.V2.ModelWarmup.Types.Input.InputDataTypeOneofCase.ZeroData, true), (a.DataType, a.InputDataTypeCase, a.ZeroData));
        Assert.Equal([4L], a.Dims);
        var b = sample.Inputs["b"];
        Assert.Equal((ProtoDataType.TypeInt64, Inferd.Protocol.V2.ModelWarmup.Types.Input.InputDataTypeOneofCase.RandomData, true), (b.DataType, b.InputDataTypeCase, b.RandomData));
        Assert.Equal([2L, 3L], b.Dims);
        var c = sample.Inputs["c"];
        Assert.Equal((ProtoDataType.TypeString, Inferd.Protocol.V2.ModelWarmup.Types.Input.InputDataTypeOneofCase.InputDataFile, "c.bin"), (c.DataType, c.InputDataTypeCase, c.InputDataFile));
        Assert.Equal(("empty", 0u, 1u), (proto.ModelWarmup[1].Name, proto.ModelWarmup[1].BatchSize, proto.ModelWarmup[1].Count));
        Assert.Empty(proto.ModelWarmup[1].Inputs);
    }

    [Fact]
    public void ToProto_WarmupAndQueuePolicy_SurviveWireRoundTrip()
    {
        var config = new ModelConfig
        {
            Name = "m",
            DynamicBatching = new DynamicBatchingConfig([], 0, false)
            {
                PriorityLevels = 2,
                PriorityQueuePolicy = new Dictionary<int, QueuePolicy> { [2] = new(TimeoutAction.Delay, 7, true, 9) },
            },
            ModelWarmup = [new ModelWarmup("w", 1, new Dictionary<string, WarmupInput> { ["x"] = new(DataType.Fp32, [4], WarmupDataSource.File, "x.bin") }, 2)],
        };
        var proto = config.ToProto();

        var decoded = Inferd.Protocol.V2.ModelConfig.Parser.ParseFrom(proto.ToByteArray());

        Assert.Equal(proto, decoded);
        Assert.Equal(9u, decoded.DynamicBatching.PriorityQueuePolicy[2].MaxQueueSize);
        Assert.Equal("x.bin", decoded.ModelWarmup[0].Inputs["x"].InputDataFile);
    }

    [Theory]
    [InlineData("inference.ModelDynamicBatching", "priority_levels", 4)]
    [InlineData("inference.ModelDynamicBatching", "default_priority_level", 5)]
    [InlineData("inference.ModelDynamicBatching", "default_queue_policy", 6)]
    [InlineData("inference.ModelDynamicBatching", "priority_queue_policy", 7)]
    [InlineData("inference.ModelQueuePolicy", "timeout_action", 1)]
    [InlineData("inference.ModelQueuePolicy", "default_timeout_microseconds", 2)]
    [InlineData("inference.ModelQueuePolicy", "allow_timeout_override", 3)]
    [InlineData("inference.ModelQueuePolicy", "max_queue_size", 4)]
    [InlineData("inference.ModelConfig", "model_warmup", 16)]
    [InlineData("inference.ModelWarmup", "name", 1)]
    [InlineData("inference.ModelWarmup", "batch_size", 2)]
    [InlineData("inference.ModelWarmup", "inputs", 3)]
    [InlineData("inference.ModelWarmup", "count", 4)]
    [InlineData("inference.ModelWarmup.Input", "data_type", 1)]
    [InlineData("inference.ModelWarmup.Input", "dims", 2)]
    [InlineData("inference.ModelWarmup.Input", "zero_data", 3)]
    [InlineData("inference.ModelWarmup.Input", "random_data", 4)]
    [InlineData("inference.ModelWarmup.Input", "input_data_file", 5)]
    public void Descriptor_QueuePolicyAndWarmupFields_HaveTritonNumbers(string message, string field, int number)
    {
        MessageDescriptor[] messages = [ModelDynamicBatching.Descriptor, ModelQueuePolicy.Descriptor, Inferd.Protocol.V2.ModelConfig.Descriptor, Inferd.Protocol.V2.ModelWarmup.Descriptor, Inferd.Protocol.V2.ModelWarmup.Types.Input.Descriptor];
        var descriptor = Assert.Single(messages, m => m.FullName == message);

        Assert.Equal(number, descriptor.FindFieldByName(field).FieldNumber);
    }
}

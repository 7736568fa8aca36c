using Inferd.Abstractions.Configuration;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;
using ModelConfig = Inferd.Abstractions.Configuration.ModelConfig;
using ProtoDataType = Inferd.Protocol.V2.DataType;
using ProtoModelConfig = Inferd.Protocol.V2.ModelConfig;

namespace Inferd.Protocol.Grpc;

/// <summary>Converts the <see cref="ModelConfig"/> record into the Triton-compatible protobuf message (protocol.md §11).</summary>
public static class ModelConfigMapper
{
    /// <summary>Builds the wire config from every field the record carries.</summary>
    public static ProtoModelConfig ToProto(this ModelConfig config)
    {
        var proto = new ProtoModelConfig
        {
            Name = config.Name,
            Platform = config.Platform,
            Backend = config.Backend,
            MaxBatchSize = config.MaxBatchSize,
            VersionPolicy = config.VersionPolicy.ToProto(),
            DefaultModelFilename = config.DefaultModelFilename,
            // perf_analyzer reads these two; always present like Triton's fully-printed config.
            ResponseCache = new ModelResponseCache { Enable = config.ResponseCacheEnabled },
            ModelTransactionPolicy = new ModelTransactionPolicy { Decoupled = config.Decoupled },
        };

        foreach (var input in config.Inputs)
        {
            var modelInput = new ModelInput
            {
                Name = input.Name,
                DataType = input.DataType.ToProto(),
                Format = (ModelInput.Types.Format)(int)input.Format,
                Optional = input.Optional,
            };
            modelInput.Dims.AddRange(input.Dims);
            proto.Input.Add(modelInput);
        }

        foreach (var output in config.Outputs)
        {
            var modelOutput = new ModelOutput
            {
                Name = output.Name,
                DataType = output.DataType.ToProto(),
                LabelFilename = output.LabelFilename ?? "",
            };
            modelOutput.Dims.AddRange(output.Dims);
            proto.Output.Add(modelOutput);
        }

        foreach (var group in config.InstanceGroups)
        {
            var instanceGroup = new ModelInstanceGroup
            {
                Name = group.Name,
                Count = group.Count,
                Kind = (ModelInstanceGroup.Types.Kind)(int)group.Kind,
            };
            instanceGroup.Gpus.AddRange(group.Gpus);
            proto.InstanceGroup.Add(instanceGroup);
        }

        foreach (var (key, value) in config.Parameters)
        {
            proto.Parameters.Add(key, new ModelParameter { StringValue = value });
        }

        if (config.GraphOptimizationLevel is not null || config.GpuExecutionAccelerators.Count > 0)
        {
            proto.Optimization = ToOptimization(config);
        }

        if (config.DynamicBatching is { } batching)
        {
            var dynamicBatching = new ModelDynamicBatching
            {
                MaxQueueDelayMicroseconds = (ulong)Math.Max(0, batching.MaxQueueDelayMicroseconds),
                PreserveOrdering = batching.PreserveOrdering,
            };
            dynamicBatching.PreferredBatchSize.AddRange(batching.PreferredBatchSizes);
            proto.DynamicBatching = dynamicBatching;
        }

        return proto;
    }

    /// <summary>Maps a datatype to its <c>TYPE_*</c> value; the two enums share numbering (TYPE_STRING = BYTES).</summary>
    public static ProtoDataType ToProto(this DataType type) => (ProtoDataType)(int)type;

    private static ModelVersionPolicy ToProto(this VersionPolicy policy)
    {
        var proto = new ModelVersionPolicy();
        switch (policy.Kind)
        {
            case VersionPolicyKind.All:
                proto.All = new ModelVersionPolicy.Types.All();
                break;
            case VersionPolicyKind.Specific:
                proto.Specific = new ModelVersionPolicy.Types.Specific();
                proto.Specific.Versions.AddRange(policy.Versions);
                break;
            default:
                proto.Latest = new ModelVersionPolicy.Types.Latest { NumVersions = (uint)Math.Max(0, policy.NumVersions) };
                break;
        }

        return proto;
    }

    private static ModelOptimizationPolicy ToOptimization(ModelConfig config)
    {
        var optimization = new ModelOptimizationPolicy();
        if (config.GraphOptimizationLevel is { } level)
        {
            optimization.Graph = new ModelOptimizationPolicy.Types.Graph { Level = level };
        }

        if (config.GpuExecutionAccelerators.Count > 0)
        {
            optimization.ExecutionAccelerators = new ModelOptimizationPolicy.Types.ExecutionAccelerators();
            foreach (var name in config.GpuExecutionAccelerators)
            {
                optimization.ExecutionAccelerators.GpuExecutionAccelerator.Add(
                    new ModelOptimizationPolicy.Types.ExecutionAccelerators.Types.Accelerator { Name = name });
            }
        }

        return optimization;
    }
}

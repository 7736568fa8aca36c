using Inferd.Abstractions.Configuration;
using Inferd.Protocol.V2;
using DataType = Inferd.Abstractions.Tensors.DataType;
using ModelConfig = Inferd.Abstractions.Configuration.ModelConfig;
using ModelWarmup = Inferd.Abstractions.Configuration.ModelWarmup;
using ProtoDataType = Inferd.Protocol.V2.DataType;
using ProtoModelConfig = Inferd.Protocol.V2.ModelConfig;
using ProtoModelWarmup = Inferd.Protocol.V2.ModelWarmup;

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
                PriorityLevels = (ulong)Math.Max(0, batching.PriorityLevels),
                DefaultPriorityLevel = (ulong)Math.Max(0, batching.DefaultPriorityLevel),
                DefaultQueuePolicy = batching.DefaultQueuePolicy.ToProto(),
            };
            dynamicBatching.PreferredBatchSize.AddRange(batching.PreferredBatchSizes);
            foreach (var (level, policy) in batching.PriorityQueuePolicy)
            {
                dynamicBatching.PriorityQueuePolicy.Add((ulong)Math.Max(0, level), policy.ToProto());
            }

            proto.DynamicBatching = dynamicBatching;
        }

        foreach (var sample in config.ModelWarmup)
        {
            proto.ModelWarmup.Add(sample.ToProto());
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

    private static ModelQueuePolicy ToProto(this QueuePolicy policy) => new()
    {
        TimeoutAction = policy.TimeoutAction == TimeoutAction.Delay ? ModelQueuePolicy.Types.TimeoutAction.Delay : ModelQueuePolicy.Types.TimeoutAction.Reject,
        DefaultTimeoutMicroseconds = (ulong)Math.Max(0, policy.DefaultTimeoutMicroseconds),
        AllowTimeoutOverride = policy.AllowTimeoutOverride,
        MaxQueueSize = (uint)Math.Max(0, policy.MaxQueueSize),
    };

    private static ProtoModelWarmup ToProto(this ModelWarmup sample)
    {
        var proto = new ProtoModelWarmup
        {
            Name = sample.Name,
            BatchSize = (uint)Math.Max(0, sample.BatchSize),
            Count = (uint)Math.Max(0, sample.Count),
        };
        foreach (var (name, input) in sample.Inputs)
        {
            var protoInput = new ProtoModelWarmup.Types.Input { DataType = input.DataType.ToProto() };
            protoInput.Dims.AddRange(input.Dims);
            switch (input.Source)
            {
                case WarmupDataSource.File:
                    protoInput.InputDataFile = input.FileName ?? "";
                    break;
                case WarmupDataSource.Random:
                    protoInput.RandomData = true;
                    break;
                default:
                    protoInput.ZeroData = true;
                    break;
            }

            proto.Inputs.Add(name, protoInput);
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

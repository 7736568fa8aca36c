using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Models;
using Inferd.Abstractions.Tensors;
using Inferd.Protocol.V2;
using ModelMetadata = Inferd.Abstractions.Models.ModelMetadata;
using ModelStatistics = Inferd.Abstractions.Models.ModelStatistics;
using ProtoModelStatistics = Inferd.Protocol.V2.ModelStatistics;
using ServerMetadata = Inferd.Abstractions.Models.ServerMetadata;
using InferStatistics = Inferd.Protocol.V2.InferStatistics;

namespace Inferd.Protocol.Grpc;

/// <summary>Converts metadata, statistics and repository records into their gRPC responses.</summary>
public static class MetadataMapper
{
    /// <summary>Server name, version and extensions.</summary>
    public static ServerMetadataResponse ToProto(this ServerMetadata metadata)
    {
        var proto = new ServerMetadataResponse { Name = metadata.Name, Version = metadata.Version };
        proto.Extensions.AddRange(metadata.Extensions);
        return proto;
    }

    /// <summary>Model name, versions, platform and tensor signatures.</summary>
    public static ModelMetadataResponse ToProto(this ModelMetadata metadata)
    {
        var proto = new ModelMetadataResponse { Name = metadata.Name, Platform = metadata.Platform };
        proto.Versions.AddRange(metadata.Versions);
        proto.Inputs.AddRange(metadata.Inputs.Select(ToProto));
        proto.Outputs.AddRange(metadata.Outputs.Select(ToProto));
        return proto;
    }

    /// <summary>Statistics of every listed model version.</summary>
    public static ModelStatisticsResponse ToProto(this IEnumerable<ModelStatistics> statistics)
    {
        var proto = new ModelStatisticsResponse();
        proto.ModelStats.AddRange(statistics.Select(ToProto));
        return proto;
    }

    /// <summary>The repository index with Triton's state names.</summary>
    public static RepositoryIndexResponse ToProto(this IEnumerable<RepositoryIndexEntry> entries)
    {
        var proto = new RepositoryIndexResponse();
        proto.Models.AddRange(entries.Select(e => new RepositoryIndexResponse.Types.ModelIndex
        {
            Name = e.Name,
            Version = e.Version,
            State = e.StateName,
            Reason = e.Reason,
        }));
        return proto;
    }

    private static ModelMetadataResponse.Types.TensorMetadata ToProto(TensorSignature signature)
    {
        var proto = new ModelMetadataResponse.Types.TensorMetadata { Name = signature.Name, Datatype = signature.DataType.ToWireName() };
        proto.Shape.AddRange(signature.Shape);
        return proto;
    }

    private static ProtoModelStatistics ToProto(ModelStatistics statistics)
    {
        var s = statistics.InferenceStats;
        var proto = new ProtoModelStatistics
        {
            Name = statistics.Name,
            Version = statistics.Version,
            LastInference = statistics.LastInference,
            InferenceCount = statistics.InferenceCount,
            ExecutionCount = statistics.ExecutionCount,
            InferenceStats = new InferStatistics
            {
                Success = ToProto(s.Success),
                Fail = ToProto(s.Fail),
                Queue = ToProto(s.Queue),
                ComputeInput = ToProto(s.ComputeInput),
                ComputeInfer = ToProto(s.ComputeInfer),
                ComputeOutput = ToProto(s.ComputeOutput),
                CacheHit = ToProto(s.CacheHit),
                CacheMiss = ToProto(s.CacheMiss),
            },
        };
        proto.BatchStats.AddRange(statistics.BatchStats.Select(b => new InferBatchStatistics
        {
            BatchSize = b.BatchSize,
            ComputeInput = ToProto(b.ComputeInput),
            ComputeInfer = ToProto(b.ComputeInfer),
            ComputeOutput = ToProto(b.ComputeOutput),
        }));
        return proto;
    }

    private static StatisticDuration ToProto(DurationStat stat) => new() { Count = stat.Count, Ns = stat.Ns };
}

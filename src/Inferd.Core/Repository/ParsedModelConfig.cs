using Inferd.Abstractions.Configuration;

namespace Inferd.Core.Repository;

/// <summary>A config as the user wrote it, with which optional fields were present (auto-complete needs to know).</summary>
/// <param name="Config">The parsed values; absent fields hold defaults.</param>
/// <param name="HasMaxBatchSize">Whether <c>max_batch_size</c> was given.</param>
public sealed record ParsedModelConfig(ModelConfig Config, bool HasMaxBatchSize);

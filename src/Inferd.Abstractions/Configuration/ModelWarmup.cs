using Inferd.Abstractions.Tensors;

namespace Inferd.Abstractions.Configuration;

/// <summary>Where a warmup input's values come from.</summary>
public enum WarmupDataSource
{
    /// <summary>All zeros (empty strings for BYTES).</summary>
    Zero,
    /// <summary>Random values from a fixed seed.</summary>
    Random,
    /// <summary>Raw binary-layout bytes read from a file in the version's <c>warmup</c> folder.</summary>
    File,
}

/// <summary>One input of a warmup sample.</summary>
/// <param name="DataType">Element type.</param>
/// <param name="Dims">Shape without the batch dimension.</param>
/// <param name="Source">Where values come from.</param>
/// <param name="FileName">File name for <see cref="WarmupDataSource.File"/>, relative to the version's <c>warmup</c> folder.</param>
public sealed record WarmupInput(DataType DataType, long[] Dims, WarmupDataSource Source, string? FileName);

/// <summary>A warmup sample (ModelWarmup): run before the version reports READY.</summary>
/// <param name="Name">Sample name, used in log lines.</param>
/// <param name="BatchSize">Batch size of the sample (0 or 1 for models that do not batch).</param>
/// <param name="Inputs">Inputs by name.</param>
/// <param name="Count">How many times to run it (at least 1).</param>
public sealed record ModelWarmup(string Name, int BatchSize, IReadOnlyDictionary<string, WarmupInput> Inputs, int Count);

using System.Buffers.Binary;
using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Core.Repository;
using Inferd.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Inferd.Core.Lifecycle;

/// <summary>
/// Runs a version's <c>model_warmup</c> samples through its scheduler before the version is published, so the
/// first real request does not pay for arena growth and lazy kernel setup, and a sample that fails fails the load
/// (as in Triton). Each sample runs at its own batch size and, for dynamically batched models, at every preferred
/// batch size; each run is issued once per instance so every session is warm.
/// </summary>
internal static class Warmup
{
    private const int Seed = 20261129;

    /// <summary>
    /// Runs the samples of a freshly loaded version, if it has any, and logs what ran. Readiness waits for this: the
    /// version is published only after it returns. On failure the version is released and the error rethrown.
    /// </summary>
    public static async Task RunOrReleaseAsync(LoadedVersion version, string versionDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        if (version.Config.ModelWarmup.Count == 0)
        {
            return;
        }

        try
        {
            var (runs, sizes) = await RunAsync(version, versionDirectory, cancellationToken).ConfigureAwait(false);
            var sizesText = string.Join(",", sizes);
            CoreLog.WarmedUp(logger, version.ModelName, version.Version, runs, version.Config.ModelWarmup.Count, sizesText);
        }
        catch
        {
            version.Release();
            throw;
        }
    }

    /// <summary>Runs every sample; returns the number of runs.</summary>
    public static async Task<(int Runs, IReadOnlyList<long> BatchSizes)> RunAsync(LoadedVersion version, string versionDirectory, CancellationToken cancellationToken)
    {
        var config = version.Config;
        var runs = 0;
        var sizes = new SortedSet<long>();
        foreach (var sample in config.ModelWarmup)
        {
            var batchSizes = new SortedSet<long> { config.MaxBatchSize > 0 ? Math.Max(1, sample.BatchSize) : 1 };
            if (config is { MaxBatchSize: > 0, DynamicBatching: { } batching })
            {
                batchSizes.UnionWith(batching.PreferredBatchSizes.Where(p => p > 0 && p <= config.MaxBatchSize).Select(p => (long)p));
            }

            foreach (var rows in batchSizes)
            {
                var inputs = BuildInputs(config, sample, rows, versionDirectory);
                for (var i = 0; i < Math.Max(1, sample.Count); i++)
                {
                    var instances = Math.Max(1, version.Model.InstanceCount);
                    var calls = new Task[instances];
                    for (var k = 0; k < instances; k++)
                    {
                        calls[k] = Task.Run(() => version.Scheduler.ScheduleAsync(inputs, version.OutputNames, rows, 0, 0, cancellationToken), cancellationToken);
                    }

                    try
                    {
                        await Task.WhenAll(calls).ConfigureAwait(false);
                    }
                    catch (InferenceException ex)
                    {
                        throw new InferenceException(InferenceErrorKind.InvalidInput, $"warmup sample '{sample.Name}' at batch size {rows} failed: {ex.Message}", ex);
                    }

                    runs += instances;
                }

                sizes.Add(rows);
            }
        }

        return (runs, sizes.ToArray());
    }

    private static InferenceTensor[] BuildInputs(ModelConfig config, ModelWarmup sample, long rows, string versionDirectory)
    {
        var random = new Random(Seed);
        var inputs = new List<InferenceTensor>(sample.Inputs.Count);
        foreach (var model in config.Inputs)
        {
            if (!sample.Inputs.TryGetValue(model.Name, out var input))
            {
                continue;
            }

            long[] shape = config.MaxBatchSize > 0 ? [rows, .. input.Dims] : input.Dims;
            long rowElements = 1;
            foreach (var d in input.Dims)
            {
                rowElements *= d;
            }

            var elements = rowElements * (config.MaxBatchSize > 0 ? rows : 1);
            var data = input.Source switch
            {
                WarmupDataSource.File => ReadFile(sample, model.Name, input, versionDirectory, elements, rowElements),
                WarmupDataSource.Random => RandomData(input.DataType, elements, random),
                _ => ZeroData(input.DataType, elements),
            };
            inputs.Add(new InferenceTensor(model.Name, input.DataType, shape, data));
        }

        return [.. inputs];
    }

    private static byte[] ZeroData(DataType type, long elements) =>
        type == DataType.Bytes ? new byte[checked(elements * 4)] : new byte[checked(elements * type.ElementSize())];

    private static byte[] RandomData(DataType type, long elements, Random random)
    {
        if (type == DataType.Bytes)
        {
            var text = new byte[checked(elements * 12)];
            for (long e = 0; e < elements; e++)
            {
                var at = (int)(e * 12);
                BinaryPrimitives.WriteUInt32LittleEndian(text.AsSpan(at), 8);
                for (var c = 0; c < 8; c++)
                {
                    text[at + 4 + c] = (byte)('a' + random.Next(26));
                }
            }

            return text;
        }

        var size = type.ElementSize();
        var data = new byte[checked(elements * size)];
        for (long e = 0; e < elements; e++)
        {
            var span = data.AsSpan((int)(e * size), size);
            switch (type)
            {
                case DataType.Fp32:
                    BinaryPrimitives.WriteSingleLittleEndian(span, random.NextSingle());
                    break;
                case DataType.Fp64:
                    BinaryPrimitives.WriteDoubleLittleEndian(span, random.NextDouble());
                    break;
                case DataType.Fp16:
                    BinaryPrimitives.WriteHalfLittleEndian(span, (Half)random.NextSingle());
                    break;
                case DataType.Bf16:
                    // bfloat16 is the upper half of an IEEE single.
                    BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(BitConverter.SingleToUInt32Bits(random.NextSingle()) >> 16));
                    break;
                case DataType.Bool:
                    span[0] = (byte)random.Next(2);
                    break;
                default:
                    // Small non-negative integers fit every integer type and are valid indices for most lookups.
                    span[0] = (byte)random.Next(100);
                    break;
            }
        }

        return data;
    }

    private static byte[] ReadFile(ModelWarmup sample, string name, WarmupInput input, string versionDirectory, long elements, long rowElements)
    {
        var path = RepositoryPaths.Resolve(versionDirectory, "warmup", input.FileName!);
        if (!File.Exists(path))
        {
            throw new InferenceException(InferenceErrorKind.InvalidInput, $"warmup sample '{sample.Name}' input '{name}': file 'warmup/{input.FileName}' not found in the version folder");
        }

        var bytes = File.ReadAllBytes(path);
        if (input.DataType == DataType.Bytes)
        {
            return bytes;
        }

        var size = input.DataType.ElementSize();
        if (bytes.Length == elements * size)
        {
            return bytes;
        }

        if (bytes.Length == rowElements * size && elements % Math.Max(1, rowElements) == 0)
        {
            // One row in the file: repeat it for every row of the batch.
            var rows = elements / Math.Max(1, rowElements);
            var data = new byte[checked(elements * size)];
            for (long r = 0; r < rows; r++)
            {
                bytes.CopyTo(data.AsSpan((int)(r * bytes.Length)));
            }

            return data;
        }

        throw new InferenceException(InferenceErrorKind.InvalidInput, $"warmup sample '{sample.Name}' input '{name}': file 'warmup/{input.FileName}' holds {bytes.Length} bytes; expected {rowElements * size} (one row) or {elements * size}");
    }
}

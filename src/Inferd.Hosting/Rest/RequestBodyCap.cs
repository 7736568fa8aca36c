using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Tensors;

namespace Inferd.Hosting.Rest;

/// <summary>
/// The largest inference body a model can need (bad-inputs.md §3: a global cap plus a per-model cap), so a
/// request to a small model cannot make the server buffer the global 64 MiB.
/// </summary>
internal static class RequestBodyCap
{
    /// <summary>JSON header, names and parameters around the tensor data.</summary>
    private const long Scaffolding = 64 * 1024;

    /// <summary>Longest JSON text of one element with its separator: "-1.7976931348623157E+308," is 25.</summary>
    private const long BytesPerElement = 32;

    public static long For(ModelConfig config, long globalLimit)
    {
        long elements = 0;
        foreach (var input in config.Inputs)
        {
            // Variable dimensions and BYTES have no upper bound but the global one.
            if (input.DataType == DataType.Bytes || input.Dims.Any(d => d < 0) || !TensorShape.TryGetElementCount(input.Dims, out var count))
            {
                return globalLimit;
            }

            elements += count;
        }

        var rows = Math.Max(1, config.MaxBatchSize);
        var cap = Scaffolding + (elements * rows * BytesPerElement);
        return cap < 0 ? globalLimit : Math.Min(globalLimit, cap);
    }
}

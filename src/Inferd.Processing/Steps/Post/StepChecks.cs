using Inferd.Abstractions.Backends;
using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Processing.Pipelines;

namespace Inferd.Processing.Steps.Post;

/// <summary>
/// Type and rank checks shared by the post-processing steps: at load against the wired signature (a config error), and
/// at run time against the tensor (a 400 naming the field), because a signature may leave dimensions open.
/// </summary>
internal static class StepChecks
{
    /// <summary>Reads port <paramref name="port"/> and checks its type and rank (rank 0 means "at least 1").</summary>
    public static TensorSignature Input(StepLoadContext context, string port, DataType? type, params int[] ranks)
    {
        var signature = context.Input(port);
        if (type is { } t && signature.DataType != t)
        {
            throw context.Options.Error($"input '{port}' must be {t.ToWireName()}, but '{signature.Name}' is {signature.DataType.ToWireName()}");
        }

        if (!RankFits(signature.Shape.Length, ranks))
        {
            throw context.Options.Error($"input '{port}' must have {Describe(ranks)} (batch first), but '{signature.Name}' has shape {TensorShape.Format(signature.Shape)}");
        }

        return signature;
    }

    /// <summary>Checks a tensor at run time; returns its batch size.</summary>
    public static int Check(InferenceTensor tensor, DataType? type, params int[] ranks)
    {
        if (type is { } t && tensor.DataType != t)
        {
            throw InferenceException.Invalid($"field '{tensor.Name}' must be {t.ToWireName()}, got {tensor.DataType.ToWireName()}");
        }

        if (!RankFits(tensor.Shape.Length, ranks))
        {
            throw InferenceException.Invalid($"field '{tensor.Name}' must have {Describe(ranks)} (batch first), got shape {TensorShape.Format(tensor.Shape)}");
        }

        return checked((int)tensor.Shape[0]);
    }

    /// <summary>A dimension of a signature as a count, or -1 when it is variable.</summary>
    public static long Dim(TensorSignature signature, int index) => signature.Shape[index] >= 0 ? signature.Shape[index] : -1;

    private static bool RankFits(int rank, int[] ranks) => ranks.Length == 0 ? rank >= 1 : Array.IndexOf(ranks, rank) >= 0;

    private static string Describe(int[] ranks) => ranks.Length == 0
        ? "at least 1 dimension"
        : string.Join(" or ", ranks.Select(r => r == 1 ? "1 dimension" : $"{r} dimensions"));
}

namespace Inferd.Monitoring.Drift;

/// <summary>
/// One feature's values over the rows of one request. A number that is absent or not a number is NaN; an absent
/// string is empty.
/// </summary>
/// <param name="Tensor">The tensor the values come from.</param>
/// <param name="Index">The element of a row (0..63) for a tensor with several elements per row; -1 for one element per row.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Numbers">The values of a numeric feature, one per row.</param>
/// <param name="Categories">The values of a categorical feature, one per row.</param>
internal sealed record FeatureColumn(string Tensor, int Index, FeatureKind Kind, double[]? Numbers, string[]? Categories)
{
    /// <summary>The feature's name: the tensor's name, or <c>tensor[j]</c> for element j of a row.</summary>
    public string Name => FeatureExtractor.FeatureName(Tensor, Index);

    /// <summary>Rows.</summary>
    public int Count => Numbers?.Length ?? Categories?.Length ?? 0;
}

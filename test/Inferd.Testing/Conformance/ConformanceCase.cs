namespace Inferd.Testing.Conformance;

/// <summary>One model of the ONNX conformance set with its golden data.</summary>
/// <param name="Name">Category and directory, e.g. <c>node/test_add</c>.</param>
/// <param name="ModelPath">Absolute path of <c>model.onnx</c>.</param>
/// <param name="DataSets">The <c>test_data_set_N</c> directories in numeric order; empty when skipped.</param>
/// <param name="SkipReason">Why the case cannot run over the protocol; null when it can.</param>
public sealed record ConformanceCase(string Name, string ModelPath, IReadOnlyList<ConformanceDataSet> DataSets, string? SkipReason)
{
    /// <summary>True when <see cref="SkipReason"/> is set.</summary>
    public bool IsSkipped => SkipReason is not null;

    /// <inheritdoc/>
    public override string ToString() => Name;
}

namespace Inferd.Explain.Trees;

/// <summary>The checked arrays of a <see cref="TreeEnsemble"/>, indexed by node over all trees.</summary>
internal sealed record TreeEnsembleParts
{
    /// <summary>Input column each branch node tests.</summary>
    public required int[] Feature { get; init; }

    /// <summary>Each branch node's threshold.</summary>
    public required double[] Threshold { get; init; }

    /// <summary>Each node's test, or leaf.</summary>
    public required TreeNodeMode[] Mode { get; init; }

    /// <summary>Index of the true child (branch nodes).</summary>
    public required int[] True { get; init; }

    /// <summary>Index of the false child (branch nodes).</summary>
    public required int[] False { get; init; }

    /// <summary>Whether NaN takes the true branch.</summary>
    public required bool[] MissingTrue { get; init; }

    /// <summary>Per leaf, its summed weight per output; null for branch nodes.</summary>
    public required double[]?[] Leaf { get; init; }

    /// <summary>Root node of each tree.</summary>
    public required int[] Roots { get; init; }

    /// <summary>Scores per row.</summary>
    public required int Outputs { get; init; }

    /// <summary>Per output, the base value.</summary>
    public required double[] BaseValues { get; init; }

    /// <summary>AVERAGE aggregation (else SUM).</summary>
    public bool Average { get; init; }

    /// <summary>Edges on the longest root-to-leaf path.</summary>
    public int MaxDepth { get; init; }
}

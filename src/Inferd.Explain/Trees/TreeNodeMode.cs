namespace Inferd.Explain.Trees;

/// <summary>A node's test, as the <c>nodes_modes</c> attribute of the ai.onnx.ml tree ensembles names it.</summary>
internal enum TreeNodeMode
{
    /// <summary>A leaf: no test; its weights are the tree's answer.</summary>
    Leaf,

    /// <summary>True branch when value &lt;= threshold.</summary>
    BranchLeq,

    /// <summary>True branch when value &lt; threshold.</summary>
    BranchLt,

    /// <summary>True branch when value &gt;= threshold.</summary>
    BranchGte,

    /// <summary>True branch when value &gt; threshold.</summary>
    BranchGt,

    /// <summary>True branch when value == threshold.</summary>
    BranchEq,

    /// <summary>True branch when value != threshold.</summary>
    BranchNeq,
}

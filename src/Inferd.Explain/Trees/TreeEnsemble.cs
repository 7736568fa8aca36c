namespace Inferd.Explain.Trees;

/// <summary>
/// The trees of one ai.onnx.ml TreeEnsembleRegressor or TreeEnsembleClassifier node, flattened into arrays indexed by
/// node (all trees together), with thresholds and weights as doubles. Built by <see cref="TreeEnsembleReader"/>, which
/// checks that every tree is a tree (one root, each node reached once), so walks here need no guards.
/// </summary>
internal sealed class TreeEnsemble
{
    private readonly int[] _feature;
    private readonly double[] _threshold;
    private readonly TreeNodeMode[] _mode;
    private readonly int[] _true;
    private readonly int[] _false;
    private readonly bool[] _missingTrue;
    private readonly double[]?[] _leaf;

    /// <summary>Creates an ensemble from checked parts (see <see cref="TreeEnsembleReader"/>).</summary>
    public TreeEnsemble(TreeEnsembleParts parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        _feature = parts.Feature;
        _threshold = parts.Threshold;
        _mode = parts.Mode;
        _true = parts.True;
        _false = parts.False;
        _missingTrue = parts.MissingTrue;
        _leaf = parts.Leaf;
        Roots = parts.Roots;
        Outputs = parts.Outputs;
        BaseValues = parts.BaseValues;
        Scale = parts.Average ? 1.0 / parts.Roots.Length : 1.0;
        Columns = parts.Feature.Where((_, i) => parts.Mode[i] != TreeNodeMode.Leaf).DefaultIfEmpty(-1).Max() + 1;
        MaxDepth = parts.MaxDepth;
    }

    /// <summary>The root node of each tree.</summary>
    public IReadOnlyList<int> Roots { get; }

    /// <summary>Scores per row: n_targets of a regressor, the class count of a classifier.</summary>
    public int Outputs { get; }

    /// <summary>Per output, the constant added after aggregation (base_values; zeros when absent).</summary>
    public IReadOnlyList<double> BaseValues { get; }

    /// <summary>What each tree's leaf value is multiplied by: 1 for SUM, 1/trees for AVERAGE.</summary>
    public double Scale { get; }

    /// <summary>Input columns the trees read (the largest feature id + 1).</summary>
    public int Columns { get; }

    /// <summary>Edges on the longest root-to-leaf path.</summary>
    public int MaxDepth { get; }

    /// <summary>Whether <paramref name="node"/> is a leaf.</summary>
    public bool IsLeaf(int node) => _mode[node] == TreeNodeMode.Leaf;

    /// <summary>The input column a branch node tests.</summary>
    public int Feature(int node) => _feature[node];

    /// <summary>The child taken when the test holds.</summary>
    public int TrueChild(int node) => _true[node];

    /// <summary>The child taken when the test fails.</summary>
    public int FalseChild(int node) => _false[node];

    /// <summary>A leaf's summed weight for <paramref name="output"/> (0 when it votes for other outputs only).</summary>
    public double LeafValue(int node, int output) => _leaf[node] is { } w ? w[output] : 0;

    /// <summary>
    /// Whether a branch node sends <paramref name="value"/> to its true child. NaN fails every comparison (as in ONNX
    /// Runtime), so it goes false unless the node's <c>nodes_missing_value_tracks_true</c> is set; for NEQ it goes true.
    /// </summary>
    public bool GoesTrue(int node, double value)
    {
        var t = _threshold[node];
        var holds = _mode[node] switch
        {
            TreeNodeMode.BranchLeq => value <= t,
            TreeNodeMode.BranchLt => value < t,
            TreeNodeMode.BranchGte => value >= t,
            TreeNodeMode.BranchGt => value > t,
            TreeNodeMode.BranchEq => value == t,
            _ => value != t,
        };
        return holds || (_missingTrue[node] && double.IsNaN(value));
    }

    /// <summary>The ensemble's raw score <paramref name="output"/> for one row of input columns.</summary>
    public double Evaluate(ReadOnlySpan<double> columns, int output)
    {
        var sum = 0.0;
        foreach (var root in Roots)
        {
            var node = root;
            while (!IsLeaf(node))
            {
                node = GoesTrue(node, columns[_feature[node]]) ? _true[node] : _false[node];
            }

            sum += LeafValue(node, output);
        }

        return (sum * Scale) + BaseValues[output];
    }
}

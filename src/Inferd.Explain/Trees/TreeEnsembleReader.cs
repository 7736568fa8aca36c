using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf.Collections;
using Inferd.Abstractions.Inference;
using Onnx;

namespace Inferd.Explain.Trees;

/// <summary>
/// Reads the attributes of an ai.onnx.ml <c>TreeEnsembleRegressor</c> or <c>TreeEnsembleClassifier</c> node into a
/// <see cref="TreeEnsemble"/>. Everything whose scores Tree SHAP would not reproduce exactly is refused with the reason:
/// a post_transform other than NONE, MIN/MAX aggregation, a classifier of two classes (ONNX Runtime derives binary
/// scores by rules of its own), and anything that is not a set of trees.
/// </summary>
internal static class TreeEnsembleReader
{
    /// <summary>Op type of the regressor.</summary>
    public const string Regressor = "TreeEnsembleRegressor";

    /// <summary>Op type of the classifier.</summary>
    public const string Classifier = "TreeEnsembleClassifier";

    /// <summary>Deeper trees are refused: the Tree SHAP walk recurses once per level.</summary>
    public const int MaxDepth = 512;

    /// <summary>Reads the node's trees; throws InvalidInput with the reason when they cannot be explained exactly.</summary>
    public static TreeEnsemble Read(NodeProto node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var a = node.Attribute.ToDictionary(x => x.Name, StringComparer.Ordinal);
        var classifier = node.OpType == Classifier;
        var post = Text(a, "post_transform") ?? "NONE";
        if (post != "NONE")
        {
            throw Refuse($"the {node.OpType} applies post_transform {post}, so its output is not a sum of leaf values; tree_shap explains raw tree scores only");
        }

        var treeIds = Ints(a, "nodes_treeids");
        var nodeIds = Ints(a, "nodes_nodeids");
        var count = treeIds.Length;
        var features = Same(Ints(a, "nodes_featureids"), count, "nodes_featureids");
        var modes = Same(Strings(a, "nodes_modes"), count, "nodes_modes").Select(ParseMode).ToArray();
        var values = Same(Doubles(a, "nodes_values"), count, "nodes_values");
        var trues = Same(Ints(a, "nodes_truenodeids"), count, "nodes_truenodeids");
        var falses = Same(Ints(a, "nodes_falsenodeids"), count, "nodes_falsenodeids");
        var missing = Ints(a, "nodes_missing_value_tracks_true");
        if (count == 0 || nodeIds.Length != count || (missing.Length != 0 && missing.Length != count))
        {
            throw Refuse($"the {node.OpType} has no nodes or node attributes of different lengths");
        }

        int outputs;
        string prefix;
        if (classifier)
        {
            outputs = Math.Max(Ints(a, "classlabels_int64s").Length, Strings(a, "classlabels_strings").Length);
            prefix = "class";
            if (outputs <= 2)
            {
                throw Refuse($"the TreeEnsembleClassifier has {outputs} classes; ONNX Runtime derives the scores of a binary tree classifier by rules of its own, which tree_shap does not reproduce (use kernel_shap)");
            }
        }
        else
        {
            outputs = (int)Math.Clamp(a.TryGetValue("n_targets", out var n) ? n.I : 1, 1, 1_000_000);
            prefix = "target";
            var aggregate = Text(a, "aggregate_function") ?? "SUM";
            if (aggregate is not ("SUM" or "AVERAGE"))
            {
                throw Refuse($"the TreeEnsembleRegressor aggregates with {aggregate}; tree_shap explains SUM and AVERAGE ensembles");
            }
        }

        var index = new Dictionary<(long Tree, long Node), int>(count);
        for (var i = 0; i < count; i++)
        {
            if (!index.TryAdd((treeIds[i], nodeIds[i]), i))
            {
                throw Refuse($"tree {treeIds[i]} declares node {nodeIds[i]} twice");
            }
        }

        var parts = Link(index, treeIds, trues, falses, modes);
        var leaf = new double[]?[count];
        ReadWeights(a, prefix, index, modes, outputs, leaf);
        var baseValues = Doubles(a, "base_values");
        if (baseValues.Length is not 0 && baseValues.Length != outputs)
        {
            throw Refuse($"base_values has {baseValues.Length} values for {outputs} outputs");
        }

        var (roots, depth) = CheckTrees(parts.Roots, parts.True, parts.False, modes);
        return new TreeEnsemble(new TreeEnsembleParts
        {
            Feature = features.Select(f => f is >= 0 and < int.MaxValue ? (int)f : throw Refuse($"feature id {f} is out of range")).ToArray(),
            Threshold = values,
            Mode = modes,
            True = parts.True,
            False = parts.False,
            MissingTrue = Enumerable.Range(0, count).Select(i => missing.Length != 0 && missing[i] != 0).ToArray(),
            Leaf = leaf,
            Roots = roots,
            Outputs = outputs,
            BaseValues = baseValues.Length == 0 ? new double[outputs] : baseValues,
            Average = !classifier && (Text(a, "aggregate_function") ?? "SUM") == "AVERAGE",
            MaxDepth = depth,
        });
    }

    private static (int[] True, int[] False, int[] Roots) Link(Dictionary<(long Tree, long Node), int> index, long[] treeIds, long[] trues, long[] falses, TreeNodeMode[] modes)
    {
        var count = treeIds.Length;
        var t = new int[count];
        var f = new int[count];
        var isChild = new bool[count];
        for (var i = 0; i < count; i++)
        {
            if (modes[i] == TreeNodeMode.Leaf)
            {
                continue;
            }

            t[i] = Child(index, treeIds[i], trues[i]);
            f[i] = Child(index, treeIds[i], falses[i]);
            isChild[t[i]] = true;
            isChild[f[i]] = true;
        }

        // One root per tree, in the order the trees first appear.
        var roots = new List<int>();
        foreach (var tree in treeIds.Distinct())
        {
            var candidates = Enumerable.Range(0, count).Where(i => treeIds[i] == tree && !isChild[i]).ToArray();
            roots.Add(candidates.Length == 1 ? candidates[0] : throw Refuse($"tree {tree} has {candidates.Length} root nodes; expected 1"));
        }

        return (t, f, roots.ToArray());
    }

    private static int Child(Dictionary<(long Tree, long Node), int> index, long tree, long node) =>
        index.TryGetValue((tree, node), out var i) ? i : throw Refuse($"tree {tree} links to node {node}, which it does not declare");

    private static void ReadWeights(Dictionary<string, AttributeProto> a, string prefix, Dictionary<(long Tree, long Node), int> index, TreeNodeMode[] modes, int outputs, double[]?[] leaf)
    {
        var trees = Ints(a, prefix + "_treeids");
        var nodes = Same(Ints(a, prefix + "_nodeids"), trees.Length, prefix + "_nodeids");
        var ids = Same(Ints(a, prefix + "_ids"), trees.Length, prefix + "_ids");
        var weights = Same(Doubles(a, prefix + "_weights"), trees.Length, prefix + "_weights");
        for (var i = 0; i < trees.Length; i++)
        {
            if (!index.TryGetValue((trees[i], nodes[i]), out var n) || modes[n] != TreeNodeMode.Leaf)
            {
                throw Refuse($"a {prefix} weight names node {nodes[i]} of tree {trees[i]}, which is not a leaf");
            }

            if (ids[i] < 0 || ids[i] >= outputs)
            {
                throw Refuse($"a {prefix} weight is for output {ids[i]}, but the ensemble has {outputs}");
            }

            (leaf[n] ??= new double[outputs])[ids[i]] += weights[i];
        }
    }

    private static (int[] Roots, int Depth) CheckTrees(int[] roots, int[] trues, int[] falses, TreeNodeMode[] modes)
    {
        var seen = new bool[modes.Length];
        var deepest = 0;
        var stack = new Stack<(int Node, int Depth)>();
        foreach (var root in roots)
        {
            stack.Push((root, 0));
            while (stack.TryPop(out var item))
            {
                if (seen[item.Node])
                {
                    throw Refuse("a tree reaches one node twice (the nodes do not form a tree)");
                }

                seen[item.Node] = true;
                deepest = Math.Max(deepest, item.Depth);
                if (item.Depth > MaxDepth)
                {
                    throw Refuse($"a tree is deeper than {MaxDepth} levels");
                }

                if (modes[item.Node] != TreeNodeMode.Leaf)
                {
                    stack.Push((trues[item.Node], item.Depth + 1));
                    stack.Push((falses[item.Node], item.Depth + 1));
                }
            }
        }

        return (roots, deepest);
    }

    private static TreeNodeMode ParseMode(string mode) => mode switch
    {
        "LEAF" => TreeNodeMode.Leaf,
        "BRANCH_LEQ" => TreeNodeMode.BranchLeq,
        "BRANCH_LT" => TreeNodeMode.BranchLt,
        "BRANCH_GTE" => TreeNodeMode.BranchGte,
        "BRANCH_GT" => TreeNodeMode.BranchGt,
        "BRANCH_EQ" => TreeNodeMode.BranchEq,
        "BRANCH_NEQ" => TreeNodeMode.BranchNeq,
        _ => throw Refuse($"unknown node mode '{mode}'"),
    };

    private static T[] Same<T>(T[] values, int count, string name) =>
        values.Length == count ? values : throw Refuse($"{name} has {values.Length} entries; expected {count}");

    private static string? Text(Dictionary<string, AttributeProto> a, string name) =>
        a.TryGetValue(name, out var v) ? v.S.ToStringUtf8() : null;

    private static long[] Ints(Dictionary<string, AttributeProto> a, string name) =>
        a.TryGetValue(name, out var v) ? [.. v.Ints] : [];

    private static string[] Strings(Dictionary<string, AttributeProto> a, string name) =>
        a.TryGetValue(name, out var v) ? v.Strings.Select(s => s.ToStringUtf8()).ToArray() : [];

    /// <summary>A float list attribute, or its <c>_as_tensor</c> double twin (used by exporters that keep doubles).</summary>
    private static double[] Doubles(Dictionary<string, AttributeProto> a, string name)
    {
        if (a.TryGetValue(name + "_as_tensor", out var tensor))
        {
            return TensorDoubles(tensor.T, name + "_as_tensor");
        }

        return a.TryGetValue(name, out var v) ? v.Floats.Select(f => (double)f).ToArray() : [];
    }

    private static double[] TensorDoubles(TensorProto? t, string name)
    {
        if (t is null)
        {
            throw Refuse($"attribute {name} holds no tensor");
        }

        return (TensorProto.Types.DataType)t.DataType switch
        {
            TensorProto.Types.DataType.Double when t.DoubleData.Count > 0 => [.. t.DoubleData],
            TensorProto.Types.DataType.Double => Raw(t.RawData.Span, wide: true),
            TensorProto.Types.DataType.Float when t.FloatData.Count > 0 => Widen(t.FloatData),
            TensorProto.Types.DataType.Float => Raw(t.RawData.Span, wide: false),
            _ => throw Refuse($"attribute {name} has element type {t.DataType.ToString(CultureInfo.InvariantCulture)}; expected float or double"),
        };
    }

    private static double[] Widen(RepeatedField<float> values) => values.Select(f => (double)f).ToArray();

    private static double[] Raw(ReadOnlySpan<byte> raw, bool wide)
    {
        var size = wide ? 8 : 4;
        var result = new double[raw.Length / size];
        for (var i = 0; i < result.Length; i++)
        {
            var e = raw.Slice(i * size, size);
            result[i] = wide ? BinaryPrimitives.ReadDoubleLittleEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e);
        }

        return result;
    }

    private static InferenceException Refuse(string message) => InferenceException.Invalid(message);
}

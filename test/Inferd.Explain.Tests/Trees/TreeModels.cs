using Google.Protobuf;
using Inferd.Abstractions.Tensors;
using Onnx;
using static Inferd.Testing.Models.OnnxModelBuilder;

namespace Inferd.Explain.Tests.Trees;

/// <summary>Hand-written ai.onnx.ml tree ensembles with every split mode, for checks against brute-force Shapley values.</summary>
internal static class TreeModels
{
    /// <summary>One node: a branch (feature, mode, threshold, true and false node ids) or a leaf (weights per output).</summary>
    public sealed record TreeNode(int Id, int Feature, string Mode, float Threshold, int True, int False, bool MissingTrue = false)
    {
        public (int Output, float Weight)[] Weights { get; init; } = [];
    }

    /// <summary>A leaf with one weight for output 0.</summary>
    public static TreeNode Leaf(int id, float weight) => new(id, 0, "LEAF", 0, 0, 0) { Weights = [(0, weight)] };

    /// <summary>A leaf with weights for several outputs (classes).</summary>
    public static TreeNode Leaf(int id, params (int Output, float Weight)[] weights) => new(id, 0, "LEAF", 0, 0, 0) { Weights = weights };

    /// <summary>A branch node.</summary>
    public static TreeNode Branch(int id, int feature, string mode, float threshold, int whenTrue, int whenFalse, bool missingTrue = false) =>
        new(id, feature, mode, threshold, whenTrue, whenFalse, missingTrue);

    /// <summary>
    /// Three trees over five features (depth 2 and 3, LEQ/LT/GTE/GT/EQ/NEQ, a feature split twice on one path),
    /// base value 0.25: the regression of the Tree SHAP tests. The GTE node sends NaN to its true child.
    /// </summary>
    public static TreeNode[][] FiveFeatureForest() =>
    [
        [Branch(0, 0, "BRANCH_LEQ", 0.5f, 1, 2), Branch(1, 1, "BRANCH_LT", 0f, 3, 4), Branch(2, 2, "BRANCH_GTE", 1f, 5, 6, missingTrue: true),
         Leaf(3, 1f), Leaf(4, -2f), Leaf(5, 0.5f), Leaf(6, 3f)],
        [Branch(0, 3, "BRANCH_GT", -0.5f, 1, 2), Branch(1, 0, "BRANCH_LEQ", -0.2f, 3, 4), Leaf(2, 0.7f),
         Branch(3, 4, "BRANCH_NEQ", 1f, 5, 6), Leaf(4, -1.1f), Leaf(5, 2.2f), Leaf(6, -0.3f)],
        [Branch(0, 1, "BRANCH_LEQ", 0.3f, 1, 2), Branch(1, 1, "BRANCH_GT", -0.4f, 3, 4), Branch(2, 4, "BRANCH_EQ", 1f, 5, 6),
         Leaf(3, 0.9f), Leaf(4, -0.6f), Leaf(5, 1.5f), Leaf(6, -0.2f)],
    ];

    /// <summary>The TreeEnsembleRegressor node (or TreeEnsembleClassifier with <paramref name="classes"/>) over <paramref name="trees"/>.</summary>
    public static NodeProto Ensemble(TreeNode[][] trees, string input, string[] outputs, int classes = 0, string post = "NONE", float[]? baseValues = null, string? aggregate = null)
    {
        var classifier = classes > 0;
        var prefix = classifier ? "class" : "target";
        var nodes = trees.SelectMany((t, i) => t.Select(n => (Tree: i, Node: n))).ToArray();
        var leaves = nodes.SelectMany(x => x.Node.Weights.Select(w => (x.Tree, x.Node.Id, w.Output, w.Weight))).ToArray();
        var attributes = new List<AttributeProto>
        {
            Ints("nodes_treeids", nodes.Select(x => (long)x.Tree)),
            Ints("nodes_nodeids", nodes.Select(x => (long)x.Node.Id)),
            Ints("nodes_featureids", nodes.Select(x => (long)x.Node.Feature)),
            Strings("nodes_modes", nodes.Select(x => x.Node.Mode)),
            Floats("nodes_values", nodes.Select(x => x.Node.Threshold)),
            Ints("nodes_truenodeids", nodes.Select(x => (long)x.Node.True)),
            Ints("nodes_falsenodeids", nodes.Select(x => (long)x.Node.False)),
            Ints("nodes_missing_value_tracks_true", nodes.Select(x => x.Node.MissingTrue ? 1L : 0L)),
            Ints(prefix + "_treeids", leaves.Select(l => (long)l.Tree)),
            Ints(prefix + "_nodeids", leaves.Select(l => (long)l.Id)),
            Ints(prefix + "_ids", leaves.Select(l => (long)l.Output)),
            Floats(prefix + "_weights", leaves.Select(l => l.Weight)),
            Text("post_transform", post),
        };
        if (classifier)
        {
            attributes.Add(Ints("classlabels_int64s", Enumerable.Range(0, classes).Select(c => (long)c)));
        }
        else
        {
            attributes.Add(IntAttribute("n_targets", 1));
        }

        if (baseValues is not null)
        {
            attributes.Add(Floats("base_values", baseValues));
        }

        if (aggregate is not null)
        {
            attributes.Add(Text("aggregate_function", aggregate));
        }

        var node = Node(classifier ? "TreeEnsembleClassifier" : "TreeEnsembleRegressor", [input], outputs, [.. attributes]);
        node.Domain = "ai.onnx.ml";
        return node;
    }

    /// <summary>
    /// x FP32 [N,5] → Identity → the five-feature forest → Identity → <c>y</c> FP32 [N,1], plus <c>p</c> = Sigmoid(y), an
    /// output computed from the score that Tree SHAP must refuse.
    /// </summary>
    public static byte[] FiveFeatureRegressor(string aggregate = "SUM") => Save(Graph(
        "forest",
        [
            Node("Identity", ["x"], ["x_in"]),
            Ensemble(FiveFeatureForest(), "x_in", ["score"], baseValues: [0.25f], aggregate: aggregate),
            Node("Identity", ["score"], ["y"]),
            Node("Sigmoid", ["score"], ["p"]),
        ],
        [Value("x", DataType.Fp32, [-1, 5])],
        [Value("y", DataType.Fp32, [-1, 1]), Value("p", DataType.Fp32, [-1, 1])]));

    /// <summary>
    /// Three FP64 single-element inputs a, b, c, each cast to FLOAT, joined by Concat into [N,3] for a depth-3 forest:
    /// players are the inputs (a named layout).
    /// </summary>
    public static byte[] ConcatRegressor()
    {
        TreeNode[][] trees =
        [
            [Branch(0, 0, "BRANCH_LEQ", 0.1f, 1, 2), Branch(1, 1, "BRANCH_GT", 0.5f, 3, 4), Branch(2, 2, "BRANCH_LT", -0.3f, 5, 6),
             Branch(3, 2, "BRANCH_LEQ", 0.2f, 7, 8), Leaf(4, -1.5f), Leaf(5, 2.5f), Leaf(6, 0.4f), Leaf(7, 1.25f), Leaf(8, -0.75f)],
            [Branch(0, 1, "BRANCH_GTE", 0f, 1, 2), Leaf(1, 0.6f), Branch(2, 0, "BRANCH_GT", -0.8f, 3, 4), Leaf(3, -0.9f), Leaf(4, 1.8f)],
        ];
        return Save(Graph(
            "concat-forest",
            [
                Node("Cast", ["a"], ["a32"], IntAttribute("to", 1)),
                Node("Cast", ["b"], ["b32"], IntAttribute("to", 1)),
                Node("Cast", ["c"], ["c32"], IntAttribute("to", 1)),
                Node("Concat", ["a32", "b32", "c32"], ["abc"], IntAttribute("axis", 1)),
                Ensemble(trees, "abc", ["y"]),
            ],
            [Value("a", DataType.Fp64, [-1, 1]), Value("b", DataType.Fp64, [-1, 1]), Value("c", DataType.Fp64, [-1, 1])],
            [Value("y", DataType.Fp32, [-1, 1])]));
    }

    /// <summary>A three-class classifier over four features: labels <c>label</c> INT64 [N], scores <c>scores</c> FP32 [N,3].</summary>
    public static byte[] ThreeClassClassifier(string post = "NONE")
    {
        TreeNode[][] trees =
        [
            [Branch(0, 0, "BRANCH_LEQ", 0f, 1, 2), Branch(1, 1, "BRANCH_LEQ", 0.5f, 3, 4), Leaf(2, (0, 0.2f), (2, 1.1f)),
             Leaf(3, (0, 1f), (1, 0.3f)), Leaf(4, (1, 0.9f), (2, -0.4f))],
            [Branch(0, 2, "BRANCH_GT", 0.25f, 1, 2), Branch(1, 3, "BRANCH_LT", -0.1f, 3, 4), Leaf(2, (2, 0.8f)),
             Leaf(3, (0, -0.5f), (2, 0.6f)), Leaf(4, (1, 1.3f))],
        ];
        return Save(Graph(
            "classifier",
            [Ensemble(trees, "x", ["label", "scores"], classes: 3, post: post, baseValues: [0.1f, -0.2f, 0.05f])],
            [Value("x", DataType.Fp32, [-1, 4])],
            [Value("label", DataType.Int64, [-1]), Value("scores", DataType.Fp32, [-1, 3])]));
    }

    /// <summary>The config of a model with one FP32 vector input <c>x</c> and FP32 outputs, with a background file.</summary>
    public static string VectorConfig(string name, int features, params (string Name, int Dims)[] outputs)
    {
        var described = string.Join(", ", outputs.Select(o => "{\"name\": \"" + o.Name + "\", \"data_type\": \"TYPE_FP32\", \"dims\": [" + o.Dims + "]}"));
        return $$"""
            {"name": "{{name}}", "max_batch_size": 256,
             "input": [{"name": "x", "data_type": "TYPE_FP32", "dims": [{{features}}]}],
             "output": [{{described}}],
             "explain": {"background": {"file": "background.jsonl"} } }
            """;
    }

    /// <summary>A model file importing ai.onnx 13 and ai.onnx.ml 3.</summary>
    public static byte[] Save(GraphProto graph)
    {
        var model = Model(graph);
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "ai.onnx.ml", Version = 3 });
        return model.ToByteArray();
    }

    private static AttributeProto Ints(string name, IEnumerable<long> values) => IntsAttribute(name, [.. values]);

    private static AttributeProto Floats(string name, IEnumerable<float> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        a.Floats.AddRange(values);
        return a;
    }

    private static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        a.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return a;
    }

    private static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}

using Inferd.Abstractions.Inference;
using Onnx;

namespace Inferd.Explain.Trees;

/// <summary>
/// What one ONNX file holds for Tree SHAP: its single tree ensemble node, where that node's input columns come from
/// (graph inputs, through Identity, Cast and one Concat along the feature axis) and which graph outputs are its raw
/// score (through Identity and Cast only). Anything else is refused with the reason by <see cref="Read"/>.
/// </summary>
internal sealed class TreeModelFile
{
    private const string MlDomain = "ai.onnx.ml";
    private const long OnnxFloat = 1;
    private const long OnnxDouble = 11;

    private TreeModelFile(string opType, TreeEnsemble ensemble, IReadOnlyList<TreeInputPart> parts, string score, IReadOnlyList<string> scoreOutputs, IReadOnlyList<string> outputs)
    {
        Outputs = outputs;
        OpType = opType;
        Ensemble = ensemble;
        Parts = parts;
        Score = score;
        ScoreOutputs = scoreOutputs;
    }

    /// <summary>TreeEnsembleRegressor or TreeEnsembleClassifier.</summary>
    public string OpType { get; }

    /// <summary>The trees.</summary>
    public TreeEnsemble Ensemble { get; }

    /// <summary>Where the ensemble's input columns come from, in column order.</summary>
    public IReadOnlyList<TreeInputPart> Parts { get; }

    /// <summary>The value the ensemble writes its raw scores to (Y of a regressor, Z of a classifier).</summary>
    public string Score { get; }

    /// <summary>Graph outputs equal to the raw scores.</summary>
    public IReadOnlyList<string> ScoreOutputs { get; }

    /// <summary>Every graph output, in order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Reads and checks a model file; throws InvalidInput with the reason when Tree SHAP cannot read it.</summary>
    public static TreeModelFile Read(string path)
    {
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw InferenceException.Invalid($"cannot read '{Path.GetFileName(path)}': {e.Message}");
        }

        var graph = model.Graph ?? throw InferenceException.Invalid($"'{Path.GetFileName(path)}' has no graph");
        if (graph.Node.Any(n => n.OpType == "TreeEnsemble"))
        {
            throw InferenceException.Invalid("the model uses the opset-5 TreeEnsemble op, which tree_shap does not read yet (it reads TreeEnsembleRegressor and TreeEnsembleClassifier)");
        }

        var trees = graph.Node.Where(n => n.Domain == MlDomain && n.OpType is TreeEnsembleReader.Regressor or TreeEnsembleReader.Classifier).ToArray();
        if (trees.Length != 1)
        {
            throw InferenceException.Invalid(trees.Length == 0
                ? "the model has no tree ensemble (ai.onnx.ml TreeEnsembleRegressor or TreeEnsembleClassifier)"
                : $"the model has {trees.Length} tree ensemble nodes; tree_shap reads a model with exactly one");
        }

        var node = trees[0];
        if (node.Input.Count == 0)
        {
            throw InferenceException.Invalid($"the {node.OpType} node has no input");
        }

        var ensemble = TreeEnsembleReader.Read(node);
        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var n in graph.Node)
        {
            foreach (var o in n.Output)
            {
                producers[o] = n;
            }
        }

        var constants = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !constants.Contains(i.Name)).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var parts = TraceInput(node.Input[0], producers, inputs);
        var score = node.OpType == TreeEnsembleReader.Classifier ? node.Output.ElementAtOrDefault(1) : node.Output.ElementAtOrDefault(0);
        if (string.IsNullOrEmpty(score))
        {
            throw InferenceException.Invalid($"the {node.OpType} node has no score output");
        }

        return new TreeModelFile(node.OpType, ensemble, parts, score, TraceOutputs(score, graph), graph.Output.Select(o => o.Name).ToArray());
    }

    private static TreeInputPart[] TraceInput(string value, Dictionary<string, NodeProto> producers, Dictionary<string, ValueInfoProto> inputs)
    {
        var (source, round) = Follow(value, producers);
        if (inputs.ContainsKey(source))
        {
            return [Part(source, round, inputs)];
        }

        if (producers.TryGetValue(source, out var concat) && concat.OpType == "Concat" && concat.Domain.Length == 0
            && concat.Attribute.FirstOrDefault(x => x.Name == "axis")?.I is 1 or -1)
        {
            return concat.Input.Select(i =>
            {
                var (s, r) = Follow(i, producers);
                return inputs.ContainsKey(s)
                    ? Part(s, round || r, inputs)
                    : throw NotInput(s, producers);
            }).ToArray();
        }

        throw NotInput(source, producers);
    }

    private static TreeInputPart Part(string input, bool round, Dictionary<string, ValueInfoProto> inputs)
    {
        var dims = inputs[input].Type?.TensorType?.Shape?.Dim;
        int? width = dims is { Count: 2 } && dims[1].DimValue > 0 ? (int)dims[1].DimValue : null;
        return new TreeInputPart(input, width, round);
    }

    /// <summary>Follows Identity and Cast (to FLOAT or DOUBLE) nodes back from <paramref name="value"/>.</summary>
    private static (string Source, bool RoundToFloat) Follow(string value, Dictionary<string, NodeProto> producers)
    {
        var round = false;
        for (var hops = 0; hops < 64 && producers.TryGetValue(value, out var n) && n.Domain.Length == 0; hops++)
        {
            if (n.OpType == "Identity")
            {
                value = n.Input[0];
            }
            else if (n.OpType == "Cast" && n.Attribute.FirstOrDefault(x => x.Name == "to")?.I is OnnxFloat or OnnxDouble)
            {
                round |= n.Attribute.First(x => x.Name == "to").I == OnnxFloat;
                value = n.Input[0];
            }
            else
            {
                break;
            }
        }

        return (value, round);
    }

    private static InferenceException NotInput(string value, Dictionary<string, NodeProto> producers) =>
        InferenceException.Invalid(producers.TryGetValue(value, out var n)
            ? $"the trees read '{value}', computed by a {n.OpType} node; tree_shap needs the trees to read model inputs directly (through Identity, Cast or one Concat of inputs)"
            : $"the trees read '{value}', which is not a model input");

    /// <summary>Graph outputs reached from the score through Identity and Cast (to FLOAT or DOUBLE) alone.</summary>
    private static string[] TraceOutputs(string score, GraphProto graph)
    {
        var same = new HashSet<string>(StringComparer.Ordinal) { score };
        var grew = true;
        while (grew)
        {
            grew = false;
            foreach (var n in graph.Node)
            {
                var passes = n.Domain.Length == 0 && (n.OpType == "Identity" || (n.OpType == "Cast" && n.Attribute.FirstOrDefault(x => x.Name == "to")?.I is OnnxFloat or OnnxDouble));
                if (passes && n.Input.Count > 0 && same.Contains(n.Input[0]) && n.Output.Count > 0)
                {
                    grew |= same.Add(n.Output[0]);
                }
            }
        }

        return graph.Output.Select(o => o.Name).Where(same.Contains).ToArray();
    }
}

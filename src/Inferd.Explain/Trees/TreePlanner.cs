using Inferd.Abstractions.Inference;
using Inferd.Abstractions.Tensors;
using Inferd.Explain.Evaluation;

namespace Inferd.Explain.Trees;

/// <summary>
/// Decides whether Tree SHAP can explain a request and how. A plain model qualifies when its file holds one tree
/// ensemble reading the model's inputs (one feature-vector input, or single-element inputs joined by Concat) and the
/// explained output is the ensemble's raw score; a pipeline when it is <c>tabular</c> → <c>onnx</c> (→ <c>fields</c>),
/// see <see cref="PipelineTreePlanner"/>. Every refusal is an InvalidInput naming the reason.
/// </summary>
internal static class TreePlanner
{
    /// <summary>The plan for <paramref name="context"/>; throws InvalidInput with the reason when Tree SHAP does not apply.</summary>
    public static TreePlan Plan(ExplanationContext context, TreeModelCache cache)
    {
        ArgumentNullException.ThrowIfNull(context);
        var directory = context.VersionDirectory ?? throw InferenceException.Invalid("the model's directory is not known to the explainer, so its trees cannot be read");
        if (context.Config.Pipeline is not null)
        {
            return PipelineTreePlanner.Plan(context, cache, directory);
        }

        var name = context.Config.DefaultModelFilename;
        var file = cache.Get(Path.Combine(directory, name));
        var target = context.Evaluator.Target;
        CheckScoreOutput(file, target.Output, target.Output);
        if (target.ElementsPerRow != file.Ensemble.Outputs)
        {
            throw InferenceException.Invalid($"output '{target.Output}' has {target.ElementsPerRow} elements per row but the trees give {file.Ensemble.Outputs} scores");
        }

        var layout = context.Layout;
        var sources = new List<(int Input, int Element, bool Round, DataType Type)>();
        var players = new List<int>();
        foreach (var part in file.Parts)
        {
            var input = IndexOf(context, part.GraphInput);
            var elements = (int)context.RowShapes[input].Aggregate(1L, (a, d) => a * d);
            var type = context.Config.Inputs[input].DataType;
            if ((part.Width ?? elements) != elements || type == DataType.Bytes)
            {
                throw InferenceException.Invalid($"the trees read input '{part.GraphInput}' as {part.Width} numeric columns but a row of it holds {elements} {type.ToWireName()} elements");
            }

            for (var e = 0; e < elements; e++)
            {
                sources.Add((input, e, part.RoundToFloat, type));
                players.Add(layout.IsVector ? e : PlayerOfInput(layout, input));
            }
        }

        CheckColumns(file, sources.Count);
        var columns = sources.ToArray();
        return new TreePlan(file.Ensemble, target.Index, [.. players], row => Read(row, columns), name);
    }

    /// <summary>Refuses an explained output that is not the ensemble's raw score, naming the ones that are.</summary>
    /// <param name="file">The model file.</param>
    /// <param name="graphOutput">The file's output the explained output comes from.</param>
    /// <param name="explained">The explained output as the request names it.</param>
    public static void CheckScoreOutput(TreeModelFile file, string graphOutput, string explained)
    {
        if (file.ScoreOutputs.Contains(graphOutput))
        {
            return;
        }

        var scores = file.ScoreOutputs.Count == 0
            ? $"the raw score '{file.Score}' is not an output of the model file"
            : $"the raw score is output {string.Join(", ", file.ScoreOutputs.Select(o => $"'{o}'"))} of the model file";
        throw InferenceException.Invalid(
            $"output '{explained}' is not the trees' raw score (it is computed from it, e.g. a calibrated probability or a label, or elsewhere); tree_shap explains the {file.OpType}'s score: {scores}; use kernel_shap to explain '{explained}'");
    }

    /// <summary>Refuses trees that read more columns than the model gives them.</summary>
    public static void CheckColumns(TreeModelFile file, int columns)
    {
        if (file.Ensemble.Columns > columns)
        {
            throw InferenceException.Invalid($"the trees read column {file.Ensemble.Columns - 1} but their input has {columns} columns");
        }
    }

    /// <summary>The layout feature (player) of a single-element input.</summary>
    public static int PlayerOfInput(Tabular.FeatureLayout layout, int input)
    {
        for (var i = 0; i < layout.Count; i++)
        {
            if (layout.Features[i].Input == input)
            {
                return i;
            }
        }

        throw InferenceException.Invalid($"input {input} is not a feature of the explanation");
    }

    private static int IndexOf(ExplanationContext context, string name)
    {
        for (var i = 0; i < context.Config.Inputs.Count; i++)
        {
            if (context.Config.Inputs[i].Name == name)
            {
                return i;
            }
        }

        throw InferenceException.Invalid($"the trees read graph input '{name}', which is not an input of the model's config");
    }

    private static double[] Read(InputRow row, (int Input, int Element, bool Round, DataType Type)[] columns)
    {
        var values = new double[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var (input, element, round, type) = columns[c];
            var v = CellCodec.Read(type, row.Cells[input], element);
            values[c] = round ? (float)v : v;
        }

        return values;
    }
}

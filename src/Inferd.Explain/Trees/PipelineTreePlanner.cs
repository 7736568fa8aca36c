using System.Text.Json;
using Inferd.Abstractions.Inference;
using Inferd.Core.Repository;
using Inferd.Processing.Pipelines;
using Inferd.Processing.Steps.Tabular;

namespace Inferd.Explain.Trees;

/// <summary>
/// Tree SHAP plans for pipelines of the zoo's tabular shape: a <c>tabular</c> step encodes the input fields into the
/// features matrix, an <c>onnx</c> step runs the trees on it, and optionally a <c>fields</c> step names the score
/// columns. The explained output must come from the trees' raw score through that wiring alone. Players are the
/// pipeline's inputs; a category's one-hot columns all belong to its field.
/// </summary>
internal static class PipelineTreePlanner
{
    /// <summary>The plan; throws InvalidInput with the reason when the pipeline has another shape.</summary>
    public static TreePlan Plan(ExplanationContext context, TreeModelCache cache, string versionDirectory)
    {
        PipelineDefinition pipeline;
        try
        {
            pipeline = PipelineParser.Parse(context.Config.Pipeline!);
        }
        catch (Exception e) when (e is ModelConfigException or JsonException)
        {
            throw InferenceException.Invalid($"the pipeline section cannot be read: {e.Message}");
        }

        var target = context.Evaluator.Target;
        var explained = pipeline.Outputs.FirstOrDefault(o => o.Name == target.Output)
            ?? throw InferenceException.Invalid($"output '{target.Output}' is not a pipeline output");
        var (step, port) = Producer(pipeline, explained.From, versionDirectory, cache);
        var score = target.Index;
        var perRow = target.ElementsPerRow;
        if (step.Kind == "fields")
        {
            var names = Names(step);
            score = Array.IndexOf(names, port);
            perRow = names.Length;
            if (score < 0)
            {
                throw InferenceException.Invalid($"fields step '{step.Name}' has no name '{port}'");
            }

            (step, port) = Producer(pipeline, Wired(step.Inputs, "x"), versionDirectory, cache);
        }

        if (step.Kind != "onnx")
        {
            throw InferenceException.Invalid($"output '{target.Output}' comes from pipeline step '{step.Name}' ({step.Kind}); tree_shap reads pipelines of tabular → onnx (→ fields) steps only, use kernel_shap");
        }

        var (path, file) = Load(step, versionDirectory, cache);
        TreePlanner.CheckScoreOutput(file, port, target.Output);
        if (perRow != file.Ensemble.Outputs)
        {
            throw InferenceException.Invalid($"output '{target.Output}' reads {perRow} scores per row but the trees give {file.Ensemble.Outputs}");
        }

        if (file.Parts.Count != 1)
        {
            throw InferenceException.Invalid($"the trees of '{Path.GetFileName(path)}' join {file.Parts.Count} graph inputs; in a pipeline tree_shap needs them to read the tabular step's features matrix");
        }

        var (encoder, tabular) = Tabular(pipeline, Wired(step.Inputs, file.Parts[0].GraphInput), versionDirectory, cache);
        var width = encoder.Schema.Width;
        if (file.Parts[0].Width is { } w && w != width)
        {
            throw InferenceException.Invalid($"the trees read {w} columns but tabular step '{tabular.Name}' writes {width}");
        }

        TreePlanner.CheckColumns(file, width);
        var columns = TabularColumns.Create(context, encoder, tabular, pipeline);
        return new TreePlan(file.Ensemble, score, columns.PlayerOfColumn, columns.Encode, Path.GetFileName(path));
    }

    private static (TabularEncoder Encoder, StepDefinition Step) Tabular(PipelineDefinition pipeline, string value, string versionDirectory, TreeModelCache cache)
    {
        var (step, port) = Producer(pipeline, value, versionDirectory, cache);
        if (step.Kind != "tabular" || port != "features")
        {
            throw InferenceException.Invalid($"the trees read '{value}', which pipeline step '{step.Name}' ({step.Kind}) writes; tree_shap needs them to read a tabular step's features");
        }

        try
        {
            var features = step.Options.TryGetProperty("features", out var f) ? f : throw new ModelConfigException("option 'features' is required");
            return (new TabularEncoder(FeatureSchema.Parse(features)), step);
        }
        catch (ModelConfigException e)
        {
            throw InferenceException.Invalid($"pipeline step '{step.Name}': {e.Message}");
        }
    }

    /// <summary>The step and port that write <paramref name="value"/>, for the step kinds Tree SHAP reads through.</summary>
    private static (StepDefinition Step, string Port) Producer(PipelineDefinition pipeline, string value, string versionDirectory, TreeModelCache cache)
    {
        // Later steps read earlier values, so the last step that writes a value is its producer.
        for (var i = pipeline.Steps.Count - 1; i >= 0; i--)
        {
            var step = pipeline.Steps[i];
            var wired = step.Outputs.FirstOrDefault(p => p.Value == value).Key;
            if (wired is not null)
            {
                return (step, wired);
            }

            var implicitPort = step.Kind switch
            {
                "fields" => Names(step).Contains(value) && !step.Outputs.ContainsKey(value),
                "tabular" => value == "features" && !step.Outputs.ContainsKey(value),
                "onnx" => step.Outputs.Count == 0 && Load(step, versionDirectory, cache).File.Outputs.Contains(value),
                _ => false,
            };
            if (implicitPort)
            {
                return (step, value);
            }
        }

        throw InferenceException.Invalid(pipeline.Inputs.Any(p => p.Name == value)
            ? $"'{value}' is a pipeline input passed straight through; there are no trees to explain"
            : $"no tabular, onnx or fields step writes '{value}'; tree_shap reads pipelines of tabular → onnx (→ fields) steps only, use kernel_shap");
    }

    private static (string Path, TreeModelFile File) Load(StepDefinition step, string versionDirectory, TreeModelCache cache)
    {
        var name = step.Options.TryGetProperty("file", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : "model.onnx";
        string path;
        try
        {
            RepositoryPaths.CheckRelativeFileName(name, $"pipeline step '{step.Name}' option 'file'");
            var inVersion = Path.Combine(versionDirectory, name);
            path = File.Exists(inVersion) ? inVersion : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(versionDirectory))!, name);
        }
        catch (ModelConfigException e)
        {
            throw InferenceException.Invalid(e.Message);
        }

        return (path, cache.Get(path));
    }

    private static string[] Names(StepDefinition step) =>
        step.Options.TryGetProperty("names", out var n) && n.ValueKind == JsonValueKind.Array
            ? n.EnumerateArray().Select(e => e.GetString() ?? "").ToArray()
            : [];

    private static string Wired(IReadOnlyDictionary<string, string> ports, string port) => ports.TryGetValue(port, out var value) ? value : port;
}

using Inferd.Processing.Steps;

namespace Inferd.Processing.Pipelines;

/// <summary>The step kinds a pipeline may use, by the name written in <c>kind</c>.</summary>
internal static class StepKinds
{
    /// <summary>Loads one step of its kind.</summary>
    public delegate ValueTask<IPipelineStep> Factory(StepLoadContext context, CancellationToken cancellationToken);

    private static readonly Dictionary<string, Factory> Factories = new(StringComparer.Ordinal)
    {
        // Models: an ONNX file next to the pipeline, or another model of the repository through the facade.
        ["onnx"] = OnnxStep.LoadAsync,
        ["model"] = ModelStep.LoadAsync,
        ["image"] = Steps.Image.ImageStep.LoadAsync,
        ["wordpiece"] = Steps.Text.WordPieceStep.LoadAsync,
        ["softmax"] = Steps.Post.SoftmaxStep.LoadAsync,
        ["sigmoid"] = Steps.Post.SigmoidStep.LoadAsync,
        ["topk"] = Steps.Post.TopKStep.LoadAsync,
        ["threshold"] = Steps.Post.ThresholdStep.LoadAsync,
        ["mean_pool"] = Steps.Post.MeanPoolStep.LoadAsync,
        ["l2_normalize"] = Steps.Post.L2NormalizeStep.LoadAsync,
        ["flatten"] = Steps.Post.FlattenStep.LoadAsync,
        ["fields"] = Steps.Post.FieldsStep.LoadAsync,
        ["tabular"] = Steps.Tabular.TabularStep.LoadAsync,
        ["text_hash"] = Steps.Text.TextHashStep.LoadAsync,
    };

    /// <summary>Every kind name, for error messages and docs.</summary>
    public static IReadOnlyCollection<string> Names => Factories.Keys;

    /// <summary>The factory of a kind, or null.</summary>
    public static Factory? Find(string kind) => Factories.GetValueOrDefault(kind);
}

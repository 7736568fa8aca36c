using Inferd.Abstractions.Configuration;
using Inferd.Abstractions.Inference;
using Inferd.Explain.Background;
using Inferd.Explain.Configuration;
using Inferd.Explain.Evaluation;
using Inferd.Explain.Tabular;

namespace Inferd.Explain;

/// <summary>Everything an explainer needs about one request: the row, the model, the evaluator, the background.</summary>
internal sealed class ExplanationContext
{
    private readonly Func<int?, CancellationToken, Task<BackgroundSet>> _background;
    private FeatureLayout? _layout;

    /// <param name="request">The request.</param>
    /// <param name="config">The answering version's effective config.</param>
    /// <param name="explain">Its parsed explain section.</param>
    /// <param name="row">The explained row.</param>
    /// <param name="rowShapes">Per config input, the shape of one row.</param>
    /// <param name="evaluator">Evaluates perturbed rows within the budget.</param>
    /// <param name="prediction">f(row).</param>
    /// <param name="version">The answering version.</param>
    /// <param name="versionDirectory">That version's directory in the repository, or null when unknown.</param>
    /// <param name="background">Loads the background (at most the given rows); throws when none is configured.</param>
    public ExplanationContext(
        ExplanationRequest request,
        ModelConfig config,
        ExplainConfig explain,
        InputRow row,
        long[][] rowShapes,
        ModelEvaluator evaluator,
        double prediction,
        string version,
        string? versionDirectory,
        Func<int?, CancellationToken, Task<BackgroundSet>> background)
    {
        Request = request;
        Config = config;
        Explain = explain;
        Row = row;
        RowShapes = rowShapes;
        Evaluator = evaluator;
        Prediction = prediction;
        Version = version;
        VersionDirectory = versionDirectory;
        _background = background;
    }

    /// <summary>The request.</summary>
    public ExplanationRequest Request { get; }

    /// <summary>Model name.</summary>
    public string ModelName => Request.Row.ModelName;

    /// <summary>The answering version's effective config.</summary>
    public ModelConfig Config { get; }

    /// <summary>Its parsed explain section.</summary>
    public ExplainConfig Explain { get; }

    /// <summary>The explained row.</summary>
    public InputRow Row { get; }

    /// <summary>Per config input, the shape of one row.</summary>
    public long[][] RowShapes { get; }

    /// <summary>Evaluates perturbed rows within the budget.</summary>
    public ModelEvaluator Evaluator { get; }

    /// <summary>f(row): the explained number for the row itself.</summary>
    public double Prediction { get; }

    /// <summary>The version that answered.</summary>
    public string Version { get; }

    /// <summary>The version's directory (holding model.onnx or the pipeline's files), or null when unknown.</summary>
    public string? VersionDirectory { get; }

    /// <summary>The tabular feature layout; throws InvalidInput with the reason when the model is not tabular.</summary>
    public FeatureLayout Layout => _layout ??= FeatureLayout.Create(Config, RowShapes, Explain.FeatureNames);

    /// <summary>The background rows (the request's <c>background_rows</c> of the configured ones); throws when none is configured.</summary>
    public Task<BackgroundSet> BackgroundAsync(CancellationToken cancellationToken) => _background(Request.BackgroundRows, cancellationToken);

    /// <summary>A result with the common fields filled in.</summary>
    public Explanation Result(string method) => new()
    {
        ModelName = ModelName,
        ModelVersion = Version,
        Method = method,
        Output = Evaluator.Target.Output,
        Target = Evaluator.Target.Index,
        Prediction = Prediction,
    };

    /// <summary>An InvalidInput error naming the method, for parameters it cannot use.</summary>
    public static InferenceException Invalid(string method, string message) => InferenceException.Invalid($"{method}: {message}");
}

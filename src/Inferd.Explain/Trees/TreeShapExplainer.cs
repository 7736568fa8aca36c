using System.Globalization;
using Inferd.Abstractions.Inference;

namespace Inferd.Explain.Trees;

/// <summary>
/// <c>tree_shap</c>: exact interventional Tree SHAP read from the model's own trees (ai.onnx.ml TreeEnsembleRegressor
/// or TreeEnsembleClassifier, as ML.NET and the zoo export them), against the configured background. It equals exact
/// Kernel SHAP with the same background, in O(trees × leaves × depth) per background row and without model calls
/// beyond the explained row. It explains the trees' raw score: an output computed from it (a calibrated probability, a
/// label) is refused with the name of the output that can be explained. <see cref="Explanation.AdditivityError"/> is
/// |Σ attributions − (prediction − base value)| with the prediction from the model, so it also measures how closely
/// the trees read here reproduce the served model (FP32 sums there, doubles here).
/// </summary>
internal sealed class TreeShapExplainer : IExplainer
{
    /// <summary>The method name.</summary>
    public const string Method = "tree_shap";

    private readonly TreeModelCache _cache = new();

    /// <inheritdoc/>
    public IReadOnlyList<string> Methods { get; } = [Method];

    /// <inheritdoc/>
    public bool Supports(ExplanationContext context)
    {
        try
        {
            TreePlanner.Plan(context, _cache);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Used to pick the default method: anything Tree SHAP cannot read simply falls back to kernel_shap.
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<Explanation> ExplainAsync(ExplanationContext context, string method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        TreePlan plan;
        try
        {
            plan = TreePlanner.Plan(context, _cache);
        }
        catch (InferenceException e) when (e.Kind == InferenceErrorKind.InvalidInput)
        {
            throw ExplanationContext.Invalid(Method, e.Message.Contains("kernel_shap", StringComparison.Ordinal) ? e.Message : e.Message + "; use kernel_shap for this model");
        }

        var background = await context.BackgroundAsync(cancellationToken).ConfigureAwait(false);
        var layout = context.Layout;
        var x = plan.Columns(context.Row);
        var shap = new InterventionalTreeShap(plan.Ensemble, plan.Output, plan.PlayerOfColumn, layout.Count);
        var phi = new double[layout.Count];
        var baseSum = 0.0;
        var share = 1.0 / background.Rows.Count;
        for (var r = 0; r < background.Rows.Count; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var b = Encode(plan, background.Rows[r], r);
            shap.Add(x, b, share, phi);
            baseSum += plan.Ensemble.Evaluate(b, plan.Output);
        }

        var fx = plan.Ensemble.Evaluate(x, plan.Output);
        var prediction = context.Prediction;
        // FP32 sums over a few hundred trees stay within ~1e-6 relative; 1e-4 only trips when the output is not the trees' score.
        if (Math.Abs(fx - prediction) > 1e-4 * Math.Max(1, Math.Abs(prediction)))
        {
            throw ExplanationContext.Invalid(Method, string.Create(CultureInfo.InvariantCulture,
                $"the trees read from '{plan.File}' give {fx:G9} for this row but output '{context.Evaluator.Target.Output}' is {prediction:G9}, so it is not the trees' raw score; use kernel_shap"));
        }

        var baseValue = baseSum / background.Rows.Count;
        var features = new FeatureAttribution[layout.Count];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = new FeatureAttribution(layout.Features[i].Name, layout.Display(context.Row, i), phi[i]);
        }

        return context.Result(Method) with
        {
            BaseValue = baseValue,
            AdditivityError = Math.Abs(phi.Sum() - (prediction - baseValue)),
            Features = features,
            Background = background.Source,
        };
    }

    private static double[] Encode(TreePlan plan, Evaluation.InputRow row, int index)
    {
        try
        {
            return plan.Columns(row);
        }
        catch (InferenceException e) when (e.Kind == InferenceErrorKind.InvalidInput)
        {
            throw ExplanationContext.Invalid(Method, $"background row {index}: {e.Message}");
        }
    }
}

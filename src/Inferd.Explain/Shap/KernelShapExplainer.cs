using System.Globalization;
using Inferd.Abstractions.Inference;
using Inferd.Explain.Background;

namespace Inferd.Explain.Shap;

/// <summary>
/// Kernel SHAP for tabular models, through the facade only: the Shapley value of each feature for one prediction, the
/// value of a coalition S being the mean model output over the background rows with the features in S taken from the
/// explained row. Exact (all 2^M coalitions) up to <see cref="ExactFeatureLimit"/> features, or when asked for, up to
/// <see cref="ExactFeatureCap"/>; beyond, the Kernel SHAP regression over sampled coalitions with the efficiency
/// constraint held exactly and a bootstrap standard error per feature. Request parameters: <c>mode</c> (exact,
/// sampled), <c>samples</c> (sampled coalitions, rounded up to an even number since they come in pairs; ignored in
/// exact mode), <c>seed</c>, <c>background_rows</c> and <c>budget</c>.
/// </summary>
internal sealed class KernelShapExplainer : IExplainer
{
    /// <summary>
    /// Exact is the default up to 12 features: 4,095 coalitions × 100 background rows = 409,500 evaluations, within the
    /// default budget of 1,000,000; at 13 features it is 819,100, and at 14 it no longer fits.
    /// </summary>
    public const int ExactFeatureLimit = 12;

    /// <summary>
    /// Exact mode, even when asked for, stops at 20 features: 2^20 − 1 coalitions already cost 1,048,575 evaluations per
    /// background row (over the default budget with a single row), and the value table is 8 MiB.
    /// </summary>
    public const int ExactFeatureCap = 20;

    /// <summary>Sampled coalitions when the request names none: at 100 background rows, 204,900 evaluations.</summary>
    public const int DefaultSamples = 2048;

    /// <summary>
    /// The most coalitions a request may ask for. Each bootstrap resample re-forms the normal equations, about
    /// samples × M²/2 additions: 65,536 × 128²/2 × 31 solves ≈ 17 G at the feature cap, tens of seconds on one core.
    /// </summary>
    public const int MaxSamples = 65_536;

    /// <summary>Sampled mode handles up to 128 features (a coalition is a 128-bit mask; the bordered system is 129 × 129).</summary>
    public const int MaxFeatures = 128;

    /// <summary>Bootstrap resamples of the drawn pairs for the standard errors.</summary>
    public const int BootstrapResamples = 30;

    /// <summary>The stated error bound is this many times the largest standard error (3: ~99.7 % of a normal error).</summary>
    public const double StatedErrorFactor = 3;

    private const string Name = "kernel_shap";

    /// <inheritdoc/>
    public IReadOnlyList<string> Methods { get; } = [Name];

    /// <inheritdoc/>
    public bool Supports(ExplanationContext context)
    {
        try
        {
            return context.Layout.Count > 0;
        }
        catch (InferenceException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public async Task<Explanation> ExplainAsync(ExplanationContext context, string method, CancellationToken cancellationToken)
    {
        var layout = context.Layout;
        var m = layout.Count;
        var exact = PickExact(context.Request, m);
        var samples = context.Request.Samples ?? DefaultSamples;
        if (samples is < 1 or > MaxSamples)
        {
            throw ExplanationContext.Invalid(Name, string.Create(CultureInfo.InvariantCulture, $"parameter 'samples' must be from 1 to {MaxSamples:N0} coalitions; got {samples}"));
        }

        if (!exact && m > MaxFeatures)
        {
            throw ExplanationContext.Invalid(Name, $"this model has {m} features; sampled mode handles at most {MaxFeatures} (use lime for wider rows)");
        }

        if (!exact && samples < 2 * m)
        {
            throw ExplanationContext.Invalid(Name, $"parameter 'samples' must be at least 2 × features ({2 * m}) in sampled mode, so that the regression determines every feature; got {samples}");
        }

        var background = await context.BackgroundAsync(cancellationToken).ConfigureAwait(false);
        var result = exact
            ? await ExactAsync(context, background, cancellationToken).ConfigureAwait(false)
            : await SampledAsync(context, background, (samples + 1) / 2, cancellationToken).ConfigureAwait(false);
        var phi = result.Attributions;
        var features = new FeatureAttribution[m];
        for (var i = 0; i < m; i++)
        {
            features[i] = new FeatureAttribution(layout.Features[i].Name, layout.Display(context.Row, i), phi[i]) { Error = result.Errors?[i] };
        }

        return context.Result(method) with
        {
            Mode = exact ? "exact" : "sampled",
            BaseValue = result.BaseValue,
            AdditivityError = Math.Abs(phi.Sum() - (context.Prediction - result.BaseValue)),
            StatedError = result.Errors is null ? null : StatedErrorFactor * result.Errors.Max(),
            Features = features,
            Samples = result.Samples,
            Background = background.Source,
        };
    }

    private static bool PickExact(ExplanationRequest request, int m)
    {
        switch (request.Mode)
        {
            case null:
                return m <= ExactFeatureLimit;
            case "exact":
                return m <= ExactFeatureCap
                    ? true
                    : throw ExplanationContext.Invalid(Name, $"parameter 'mode': exact mode enumerates 2^M coalitions and is limited to {ExactFeatureCap} features; this model has {m}; use mode 'sampled'");
            case "sampled":
                // One feature has one coalition besides the full one: nothing to sample, and exact is as cheap.
                return m < 2;
            default:
                throw ExplanationContext.Invalid(Name, $"parameter 'mode' must be 'exact' or 'sampled'; got '{request.Mode}'");
        }
    }

    private static async Task<ShapResult> ExactAsync(ExplanationContext context, BackgroundSet background, CancellationToken cancellationToken)
    {
        var m = context.Layout.Count;
        var b = background.Rows.Count;
        // v(N) is the prediction itself: every other coalition, 0 … 2^M − 2 as bit masks, is evaluated.
        var coalitions = (1 << m) - 1;
        context.Evaluator.Reserve((long)coalitions * b, $"exact {Name} over {m} features and {b} background rows");
        var values = await CoalitionValues.EvaluateAsync(context, background.Rows, coalitions, FillMask, cancellationToken).ConfigureAwait(false);
        var table = new double[coalitions + 1];
        values.CopyTo(table, 0);
        table[coalitions] = context.Prediction;
        return new ShapResult(ExactShapley.Attribute(table, m), null, table[0], null);

        static void FillMask(int mask, bool[] fromX)
        {
            for (var i = 0; i < fromX.Length; i++)
            {
                fromX[i] = (mask & (1 << i)) != 0;
            }
        }
    }

    private static async Task<ShapResult> SampledAsync(ExplanationContext context, BackgroundSet background, int pairs, CancellationToken cancellationToken)
    {
        var m = context.Layout.Count;
        var b = background.Rows.Count;
        var random = new Random(context.Request.Seed);
        var sample = CoalitionSample.Draw(m, pairs, random);
        // Coalition 0 is the empty one (the base value); then the distinct drawn coalitions.
        var evaluated = sample.Distinct.Count + 1;
        context.Evaluator.Reserve((long)evaluated * b,
            $"sampled {Name} with {sample.Drawn} coalitions ({sample.Distinct.Count} distinct) over {m} features and {b} background rows");
        var values = await CoalitionValues.EvaluateAsync(context, background.Rows, evaluated, Fill, cancellationToken).ConfigureAwait(false);

        var baseValue = values[0];
        var y = new double[sample.Distinct.Count];
        for (var k = 0; k < y.Length; k++)
        {
            y[k] = values[k + 1] - baseValue;
        }

        var regression = new ConstrainedRegression(sample, y, context.Prediction - baseValue);
        var undetermined = ExplanationContext.Invalid(Name, $"the {sample.Drawn} sampled coalitions do not tell every one of the {m} features apart; raise parameter 'samples'");
        var phi = regression.Solve() ?? throw undetermined;
        var errors = regression.BootstrapErrors(BootstrapResamples, random, cancellationToken) ?? throw undetermined;
        return new ShapResult(phi, errors, baseValue, sample.Drawn);

        void Fill(int c, bool[] fromX)
        {
            var mask = c == 0 ? UInt128.Zero : sample.Distinct[c - 1];
            for (var i = 0; i < fromX.Length; i++)
            {
                fromX[i] = CoalitionSample.Contains(mask, i);
            }
        }
    }

    private sealed record ShapResult(double[] Attributions, double[]? Errors, double BaseValue, int? Samples);
}

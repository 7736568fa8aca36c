namespace Inferd.Explain;

/// <summary>One explanation method. Explainers evaluate the model only through <see cref="ExplanationContext.Evaluator"/>.</summary>
internal interface IExplainer
{
    /// <summary>Method names this explainer answers to (the first is its own).</summary>
    IReadOnlyList<string> Methods { get; }

    /// <summary>Whether the method applies to the context's model (used when a request names no method).</summary>
    bool Supports(ExplanationContext context);

    /// <summary>Explains the context's row. <paramref name="method"/> is the requested name (one of <see cref="Methods"/>).</summary>
    Task<Explanation> ExplainAsync(ExplanationContext context, string method, CancellationToken cancellationToken);
}

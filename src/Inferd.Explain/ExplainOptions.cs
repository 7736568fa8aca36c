namespace Inferd.Explain;

/// <summary>Server-wide limits of the explainers (<c>inferd serve --explain-*</c>).</summary>
public sealed record ExplainOptions
{
    /// <summary>
    /// Most model evaluations (rows) one explanation may use. 1,000,000 covers exact Kernel SHAP for 13 features
    /// against 100 background rows (819,200 rows); a model's config or a request may only lower it.
    /// </summary>
    public long MaxEvaluations { get; init; } = 1_000_000;

    /// <summary>Explanations computed at once; the rest wait in the explanation queue.</summary>
    public int MaxConcurrent { get; init; } = 1;

    /// <summary>Explanations that may wait; one more is refused with 503 (Overloaded).</summary>
    public int MaxQueued { get; init; } = 16;

    /// <summary>The model repository root, for background files and Tree SHAP's model files; null when unknown.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>The problems of these options, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (MaxEvaluations < 1)
        {
            problems.Add("--explain-budget must be at least 1");
        }

        if (MaxConcurrent < 1)
        {
            problems.Add("--explain-concurrency must be at least 1");
        }

        if (MaxQueued < 0)
        {
            problems.Add("--explain-queue must not be negative");
        }

        return problems;
    }
}

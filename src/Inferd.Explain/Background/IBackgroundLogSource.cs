namespace Inferd.Explain.Background;

/// <summary>Logged traffic as background rows (<c>explain.background.prediction_log</c>); the host provides it when the prediction log is on.</summary>
internal interface IBackgroundLogSource
{
    /// <summary>
    /// Up to <paramref name="rows"/> logged requests of <paramref name="model"/>, newest first, each as a JSON object
    /// keyed by input name with the row's elements; when <paramref name="batched"/>, logged batches are split into rows.
    /// Records with redacted or hashed inputs are skipped.
    /// </summary>
    Task<IReadOnlyList<string>> SampleAsync(string model, bool batched, int rows, CancellationToken cancellationToken);
}
